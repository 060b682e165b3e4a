/**
 * Headless Chromium for exports, through `playwright-core` (an optional peer dependency, loaded only
 * when an export runs). No browser is downloaded: Chromium is the one at `chromium` (option), else
 * `BOKEH_CHROMIUM`, else /usr/bin/chromium.
 */
import { existsSync } from "node:fs"

import { ExportError } from "../core/errors.ts"
import { read_setting } from "../settings.ts"

/** The part of playwright-core's API exports use. */
export interface ExportBrowser {
  newPage(options: { viewport: { width: number; height: number }; deviceScaleFactor: number }): Promise<ExportPage>
  close(): Promise<void>
}
export interface ExportPage {
  goto(url: string): Promise<unknown>
  on(event: "console", listener: (message: { type(): string; text(): string }) => void): unknown
  on(event: "pageerror", listener: (error: Error) => void): unknown
  waitForFunction(fn: string, arg: unknown, options: { timeout: number; polling?: number }): Promise<unknown>
  evaluate<R>(fn: string): Promise<R>
  screenshot(options: { clip: { x: number; y: number; width: number; height: number }; type: "png"; omitBackground?: boolean }): Promise<Uint8Array>
  close(): Promise<void>
}
interface Playwright {
  chromium: { launch(options: { executablePath: string; args: string[]; headless: boolean }): Promise<ExportBrowser> }
}

/** How playwright-core is loaded: a seam, so tests can stand in for a machine without it. */
export const playwright_loader: { load: () => Promise<unknown> } = {
  load: () => import("playwright-core"),
}

export const DEFAULT_CHROMIUM = "/usr/bin/chromium"

/** The Chromium executable exports use. */
export function chromium_path(option?: string): string {
  return option ?? read_setting("chromium") ?? DEFAULT_CHROMIUM
}

/** Launches headless Chromium; coded errors say what is missing and how to provide it. */
export async function launch_chromium(chromium?: string): Promise<ExportBrowser> {
  let playwright: Playwright
  try {
    const mod = (await playwright_loader.load()) as Playwright & { default?: Playwright }
    playwright = mod.chromium !== undefined ? mod : mod.default!
  } catch (error) {
    throw new ExportError(
      "BK_ERR_EXPORT_DEPENDENCY",
      "exporting PNG/SVG needs playwright-core, which is not installed: run `npm install playwright-core` (no browser download needed; it uses your Chromium)",
      { cause: error },
    )
  }
  const path = chromium_path(chromium)
  if (!existsSync(path)) {
    throw new ExportError("BK_ERR_EXPORT_DEPENDENCY", `no Chromium at ${path}: install Chromium, or give its path with the chromium option or BOKEH_CHROMIUM`)
  }
  try {
    return await playwright.chromium.launch({
      executablePath: path,
      headless: true,
      args: [
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
      ],
    })
  } catch (error) {
    throw new ExportError(
      "BK_ERR_EXPORT_DEPENDENCY",
      `can't start Chromium at ${path}: ${error instanceof Error ? error.message.split("\n")[0] : String(error)}`,
      { cause: error },
    )
  }
}
