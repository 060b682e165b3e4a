import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import type { Page } from "playwright-core"

import { browser_app } from "../fixtures/apps/browser_app.ts"
import { start_server } from "../unit/server/helpers.ts"
import type { Server } from "../../src/server/server.ts"
import { launch_browser, type TestBrowser, RECORD_SOCKETS, rendered, PAGE_TIMEOUT } from "./helpers.ts"

declare const Bokeh: any

describe("stock BokehJS 3.10 against our server (headless Chromium)", () => {
  let server: Server
  let browser: TestBrowser
  let url: string
  const errors: string[] = []
  /** Every console line of each page (BokehJS logs its connection's steps at info level), for failure messages. */
  const console_logs = new WeakMap<Page, string[]>()

  before(async () => {
    server = await start_server({ "/app": browser_app }, { allow_websocket_origin: ["127.0.0.1:*"] })
    url = `http://127.0.0.1:${server.port}/app`
    browser = await launch_browser()
  })
  after(async () => {
    await browser?.close()
    await server?.stop()
  })

  /** Opens the app; `still` leaves its streamed series off (a page spared a render per tick). */
  async function open(still = false): Promise<Page> {
    const page = await browser.newPage()
    await page.addInitScript(RECORD_SOCKETS)
    const log: string[] = []
    console_logs.set(page, log)
    page.on("console", (m) => {
      log.push(`${m.type()}: ${m.text()}`)
      if (m.type() === "error" || /\[bokeh[^\]]*\].*(error|failed)/i.test(m.text())) errors.push(m.text())
    })
    page.on("pageerror", (e) => errors.push(String(e)))
    await page.goto(still ? `${url}?stream=off` : url)
    await page.waitForFunction(
      () => typeof Bokeh !== "undefined" && Bokeh.documents.length > 0 && Bokeh.documents[0].get_model_by_name("source") !== null,
      null,
      { timeout: PAGE_TIMEOUT },
    )
    await rendered(page)
    return page
  }

  const data_y = (page: Page, i: number) => page.evaluate((i) => Bokeh.documents[0].get_model_by_name("source").data.y[i], i)

  // Independent pages, each with its own session: side by side. The reconnect test counts the app's sessions,
  // so it runs after them.
  describe("pages", { concurrency: 3 }, () => {
    it("renders the app with no BokehJS error, and the title is the document's", async () => {
      const page = await open(true)
      const shot = await page.screenshot({ path: process.env["BOKEH_TEST_SCREENSHOT"] })
      assert.ok(shot.length > 10000, `screenshot looks blank (${shot.length} bytes)`)
      assert.equal(await page.title(), "Browser test")
      const canvases = await page.evaluate(() => document.querySelectorAll("div[data-root-id]").length)
      assert.equal(canvases, 1)
      assert.deepEqual(errors, [])
      await page.close()
    })

    it("moving the slider runs the server callback and the plot's data changes in the page", async () => {
      const page = await open(true)
      const before = await data_y(page, 10)
      const handle = page.locator(".noUi-handle").first()
      await handle.focus()
      for (let i = 0; i < 5; i++) await page.keyboard.press("ArrowRight")
      await page.waitForFunction(() => Math.abs(Bokeh.documents[0].get_model_by_name("freq").value - 1.5) < 1e-9)
      // Patches for the intermediate values (1.1 … 1.4) arrive in order: wait for the last one, not the first.
      await page.waitForFunction(
        () => {
          const data = Bokeh.documents[0].get_model_by_name("source").data
          return Math.abs(data.y[10] - Math.sin(1.5 * data.x[10])) < 1e-9
        },
        null,
        { timeout: PAGE_TIMEOUT },
      )
      assert.notEqual(await data_y(page, 10), before)
      assert.deepEqual(errors, [])
      await page.close()
    })

    it("a button click reaches the server handler", async () => {
      const page = await open(true)
      await page.getByRole("button", { name: "click me" }).click()
      await page.getByRole("button", { name: "click me" }).click()
      await page.waitForFunction(() => Bokeh.documents[0].get_model_by_name("clicks").text === "clicks: 2")
      await page.close()
    })

    it("a periodic callback's streamed points appear", async () => {
      const page = await open()
      // The stream rolls over at 100 rows, so count ticks by the newest `t`, not by the column's length: on a
      // loaded machine the page can open after the session has streamed more than 100.
      const t0 = await page.evaluate(() => Bokeh.documents[0].get_model_by_name("stream").data.t.at(-1) as number)
      await page.waitForFunction((t0) => Bokeh.documents[0].get_model_by_name("stream").data.t.at(-1) >= t0 + 3, t0, { timeout: PAGE_TIMEOUT })
      await page.close()
    })

    it("two tabs have independent sessions", async () => {
      const a = await open(true)
      const b = await open(true)
      await a.evaluate(() => {
        Bokeh.documents[0].get_model_by_name("freq").value = 3
      })
      await a.waitForFunction(
        () =>
          Math.abs(Bokeh.documents[0].get_model_by_name("source").data.y[10] - Math.sin(3 * Bokeh.documents[0].get_model_by_name("source").data.x[10])) < 1e-9,
      )
      // A round trip on b's socket after a's change took effect: had a's change reached b's session, its patch
      // would have been queued on b's socket before the reply to this click.
      await b.getByRole("button", { name: "click me" }).click()
      await b.waitForFunction(() => Bokeh.documents[0].get_model_by_name("clicks").text === "clicks: 1")
      assert.equal(await b.evaluate(() => Bokeh.documents[0].get_model_by_name("freq").value), 1)
      // Each tab's websocket is subscribed to a different session.
      const live = server.core.application_contexts[0]!.sessions.filter((s) => s.connection_count > 0)
      assert.ok(live.length >= 2)
      await a.close()
      await b.close()
    })
  })

  it("dropping the socket from the page triggers BokehJS's reconnect and the same session continues", async () => {
    const page = await open()
    await page.evaluate(() => {
      Bokeh.documents[0].get_model_by_name("freq").value = 2
    })
    await page.waitForFunction(
      () =>
        Math.abs(Bokeh.documents[0].get_model_by_name("source").data.y[10] - Math.sin(2 * Bokeh.documents[0].get_model_by_name("source").data.x[10])) < 1e-9,
    )
    const sessions_before = server.core.application_contexts[0]!.sessions.map((s) => s.id)
    // The re-pull replaces every model of the page's document (replace_with_json): wait for new instances.
    await page.evaluate(() => {
      ;(window as any).__old_freq = Bokeh.documents[0].get_model_by_name("freq")
      ;(window as any).__sockets[0].__close_between_messages()
    })
    // BokehJS reconnects at once, then with a growing delay: some later socket is the open one.
    const sockets = () => page.evaluate(() => (window as any).__sockets.map((s: WebSocket) => s.readyState) as number[])
    await page
      .waitForFunction(() => (window as any).__sockets.some((s: WebSocket, i: number) => i > 0 && s.readyState === 1), null, { timeout: PAGE_TIMEOUT })
      .catch(async (e) => {
        throw new Error(`${String(e)}; the page's sockets' readyStates: ${JSON.stringify(await sockets())}; errors ${JSON.stringify(errors)}`)
      })
    await page
      .waitForFunction(
        () => {
          const f = Bokeh.documents[0].get_model_by_name("freq")
          return f !== null && f !== (window as any).__old_freq
        },
        null,
        { timeout: PAGE_TIMEOUT },
      )
      .catch(async (e) => {
        // Says what the page saw: a socket dropped mid-message once wedged BokehJS here (see RECORD_SOCKETS).
        const log = (console_logs.get(page) ?? []).join("\n  ")
        throw new Error(`${String(e)}; the page's sockets' readyStates: ${JSON.stringify(await sockets())}; its console:\n  ${log}`)
      })
    // After the re-pull the page shows the live session's state (frequency 2 stays), and it keeps working.
    assert.equal(await page.evaluate(() => Bokeh.documents[0].get_model_by_name("freq").value), 2)
    // No session was created for the reconnect (earlier tests' sessions may expire meanwhile).
    const sessions_after = server.core.application_contexts[0]!.sessions.map((s) => s.id)
    assert.ok(
      sessions_after.every((id) => sessions_before.includes(id)),
      `new sessions: ${sessions_after.filter((id) => !sessions_before.includes(id)).join(", ")}`,
    )
    await page.evaluate(() => {
      Bokeh.documents[0].get_model_by_name("freq").value = 4
    })
    try {
      await page.waitForFunction(
        () =>
          Math.abs(Bokeh.documents[0].get_model_by_name("source").data.y[10] - Math.sin(4 * Bokeh.documents[0].get_model_by_name("source").data.x[10])) < 1e-9,
        null,
        { timeout: PAGE_TIMEOUT },
      )
    } catch (error) {
      // Say what each side holds, to tell a lost patch from a rolled-back one.
      const page_state = await page.evaluate(() => ({
        freq: Bokeh.documents[0].get_model_by_name("freq").value,
        y10: Bokeh.documents[0].get_model_by_name("source").data.y[10],
        sockets: (window as any).__sockets.map((w: WebSocket) => w.readyState),
      }))
      const session = server.core.application_contexts[0]!.sessions.find((s) => s.connection_count > 0)
      const server_freq = (session?.document.select_one({ name: "freq" }) as unknown as { value: number } | null)?.value
      throw new Error(`${String(error)}; page ${JSON.stringify(page_state)}; server freq ${server_freq}; errors ${JSON.stringify(errors)}`)
    }
    await page.close()
  })
})
