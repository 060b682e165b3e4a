/** Headless Chromium for the browser benchmarks: Debian's /usr/bin/chromium through playwright-core. */
import { chromium, type Browser } from "playwright-core"

export async function launch_chromium(): Promise<Browser> {
  return await chromium.launch({
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  })
}
