/** Headless Debian Chromium through playwright-core, as the browser tests need it. */
import { chromium, type Browser, type Page } from "playwright-core"

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

/**
 * Waits until BokehJS has rendered every document of the page: each root's view has painted once (BokehJS's
 * `Document.is_idle`, the moment it sends DocumentReady), instead of a fixed wait after the load.
 */
export async function rendered(page: Page): Promise<void> {
  await page.waitForFunction(
    () => {
      const Bokeh = (window as any).Bokeh
      if (Bokeh === undefined || Bokeh.documents.length === 0 || Bokeh.index === undefined || Object.keys(Bokeh.index).length === 0) return false
      return Bokeh.documents.every((doc: { is_idle: boolean }) => doc.is_idle)
    },
    null,
    { timeout: 30000 },
  )
}

/** Waits until the page has painted two more frames: a repaint BokehJS requested before the call has happened. */
export async function until_painted(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))))
}
