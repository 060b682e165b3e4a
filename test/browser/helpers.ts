/** Headless Debian Chromium through playwright-core, as the browser tests need it. */
import { after } from "node:test"

import { chromium, type Browser, type BrowserContext, type BrowserContextOptions, type Page } from "playwright-core"

/**
 * How long a test waits on a page (a load, a render, a reply, an action) before calling it stuck: long,
 * since the suite runs pages side by side on a machine that may be busy with much else (a wait ends as
 * soon as what it waits for happens; this only turns a hang into a failure).
 */
export const PAGE_TIMEOUT = 120_000

function launch(): Promise<Browser> {
  return chromium.launch({
    executablePath: process.env["CHROMIUM_PATH"] ?? "/usr/bin/chromium",
    args: ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run"],
  })
}

/**
 * One Chromium per test process, whichever of its files ask first: the test runner pools files in a
 * process, and starting Chromium costs about a second of CPU. It is closed once every file's tests are
 * done (a root-level `after`), or launched again if a test crashed it.
 *
 * Beside it, one shared context holding a keeper page on the tests' site (http://127.0.0.1, any port).
 * Chromium puts a new page of that site in the keeper's renderer process instead of starting one, and
 * that process keeps the BokehJS it has compiled: an app page then costs about half the CPU it costs in a
 * context of its own (measured over ten loads: ~1.4 s against ~2.9 s, summed over Chromium's processes).
 * The keeper is fulfilled by the page's own route, so it needs no server.
 */
interface Shared {
  readonly browser: Browser
  readonly context: BrowserContext
}
let shared: Promise<Shared> | null = null
after(async () => {
  if (shared !== null) await (await shared).browser.close()
})

const KEEPER_URL = "http://127.0.0.1/__keeper__"

async function start_shared(): Promise<Shared> {
  const browser = await launch()
  const context = await browser.newContext()
  context.setDefaultTimeout(PAGE_TIMEOUT)
  const keeper = await context.newPage()
  await keeper.route(KEEPER_URL, (route) => route.fulfill({ contentType: "text/html", body: "<!DOCTYPE html><title>keeper</title>" }))
  await keeper.goto(KEEPER_URL)
  return { browser, context }
}

/**
 * What a test file uses of the shared Chromium: pages of the shared context (`newPage`, cookies cleared
 * when the file is done), or contexts of its own (`newContext`, and `newPage` with context options other
 * than a viewport), all closed by `close()`, which leaves Chromium to the other files.
 */
export class TestBrowser {
  readonly #contexts = new Set<BrowserContext>()
  readonly #pages = new Set<Page>()
  constructor(private readonly shared: Shared) {}

  async newContext(options?: BrowserContextOptions): Promise<BrowserContext> {
    const context = await this.shared.browser.newContext(options)
    context.setDefaultTimeout(PAGE_TIMEOUT)
    this.#contexts.add(context)
    context.once("close", () => this.#contexts.delete(context))
    return context
  }

  async newPage(options?: BrowserContextOptions): Promise<Page> {
    const { viewport, ...rest } = options ?? {}
    if (Object.keys(rest).length > 0) return await (await this.newContext(options)).newPage()
    const page = await this.shared.context.newPage()
    if (viewport) await page.setViewportSize(viewport)
    this.#pages.add(page)
    page.once("close", () => this.#pages.delete(page))
    return page
  }

  async close(): Promise<void> {
    await Promise.all([...this.#contexts].map((context) => context.close()))
    await Promise.all([...this.#pages].map((page) => page.close()))
    await this.shared.context.clearCookies()
  }
}

export async function launch_browser(): Promise<TestBrowser> {
  if (shared !== null && !(await shared.catch(() => null))?.browser.isConnected()) shared = null
  shared ??= start_shared()
  return new TestBrowser(await shared)
}

/**
 * Injected before page scripts: records every WebSocket the page opens, so tests can drop one.
 *
 * `socket.__close_between_messages()` closes it only between two Bokeh protocol messages. BokehJS 3.10
 * keeps one message receiver per connection across reconnects, so a socket closed by the page after a
 * message's header frame but before its last frame leaves that receiver mid-message: the new socket's
 * ACK is then read as the rest of the old message ("First message was not an ACK"), every later message
 * is misaligned, and the page never re-pulls. (A network cut in the middle of a message does the same,
 * with any Bokeh server: a BokehJS limitation, not the server's.) Each frame is counted as BokehJS's
 * receiver counts it: a text header (which says how many buffers follow), metadata and content, then a
 * text header and a binary payload per buffer. The counting listener is added in the constructor, so it
 * sees each frame just before BokehJS's own handler does, in the same task: between tasks both agree.
 */
export const RECORD_SOCKETS = `
  window.__sockets = [];
  const Native = window.WebSocket;
  window.WebSocket = class extends Native {
    constructor(...args) {
      super(...args);
      window.__sockets.push(this);
      let frames_left = 0;
      let close_wanted = false;
      const close_if_between = () => {
        if (close_wanted && frames_left === 0 && this.readyState === Native.OPEN) this.close();
      };
      this.addEventListener("message", (event) => {
        if (frames_left === 0) {
          const header = JSON.parse(event.data);
          frames_left = 2 + 2 * (header.num_buffers ?? 0);
        } else frames_left -= 1;
        // After BokehJS has handled this frame too (and any frames already queued behind it).
        if (close_wanted && frames_left === 0) setTimeout(close_if_between, 0);
      });
      this.__close_between_messages = () => {
        close_wanted = true;
        close_if_between();
      };
    }
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
    { timeout: PAGE_TIMEOUT },
  )
}

/** Waits until the page has painted two more frames: a repaint BokehJS requested before the call has happened. */
export async function until_painted(page: Page): Promise<void> {
  await page.evaluate(() => new Promise<void>((resolve) => requestAnimationFrame(() => requestAnimationFrame(() => resolve()))))
}
