/** Headless Debian Chromium through playwright-core, as the browser tests need it. */
import { chromium, type Browser } from "playwright-core"

export async function launch_browser(): Promise<Browser> {
  return await chromium.launch({
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  })
}

/** Injected before page scripts: records every WebSocket the page opens, so tests can drop one. */
export const RECORD_SOCKETS = `
  window.__sockets = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) { super(...args); window.__sockets.push(this); }
  };
`
