/**
 * Many servers behind nginx (headless Chromium, real processes on loopback): nginx round-robins with no
 * stickiness over three `bokeh-ts serve examples/sliders.ts` backends sharing one redis-server. The
 * backend holding the page's session is killed with SIGKILL: with `--session-store` BokehJS reconnects
 * through nginx to another backend that resumes the session (same slider value, same plot data, and
 * the next slider move gets its server-side update); without it the same kill gives a fresh session.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"
import type { Page } from "playwright-core"

import { Redis } from "ioredis"

import { Document } from "../../src/document/document.ts"
import "../../src/models/main.ts"
import { RedisSessionStore } from "../../src/server/session_store/redis_store.ts"
import { RedisServer } from "../support/redis.ts"
import { Nginx } from "../support/nginx.ts"
import { ServeProcess } from "../support/serve_process.ts"
import { launch_browser, type TestBrowser, RECORD_SOCKETS, PAGE_TIMEOUT } from "./helpers.ts"

declare const Bokeh: any

const N = 200
const xs = Array.from({ length: N }, (_, i) => (4 * Math.PI * i) / (N - 1))
/** The sliders app's wave (examples/sliders.ts). */
const wave = (a: number, f: number, p: number, b: number) => xs.map((v) => b + a * Math.sin(f * v + p))

async function start_cluster(store: string | null): Promise<{ backends: ServeProcess[]; nginx: Nginx }> {
  if (store !== null) {
    const redis = new Redis(store)
    await redis.flushdb()
    redis.disconnect()
  }
  // Pages come through nginx's port, which the backends don't know yet: any port on loopback.
  const args = ["examples/sliders.ts", "--keep-alive", "0", "--allow-websocket-origin", "127.0.0.1:*", ...(store !== null ? ["--session-store", store] : [])]
  const backends = await Promise.all([ServeProcess.start(args), ServeProcess.start(args), ServeProcess.start(args)])
  const nginx = await Nginx.start(backends.map((b) => new URL(b.url).host))
  return { backends, nginx }
}

async function stop_cluster(cluster: { backends: ServeProcess[]; nginx: Nginx } | undefined): Promise<void> {
  if (cluster === undefined) return
  await cluster.nginx.stop()
  await Promise.all(cluster.backends.map((b) => b.kill()))
}

/**
 * The live backend that holds the page's websocket (only it logs a ServerConnection), once it has one:
 * looked for again on each line a backend logs and on each exit. The give-up (PAGE_TIMEOUT) only turns a hang into an error.
 */
async function holder(backends: readonly ServeProcess[]): Promise<ServeProcess> {
  const alive = (b: ServeProcess) => b.child.exitCode === null && b.child.signalCode === null
  const find = (): ServeProcess | null => {
    const holding = backends.filter((b) => alive(b) && b.log.includes("ServerConnection created"))
    assert.ok(holding.length <= 1, "one backend holds the session's websocket")
    return holding[0] ?? null
  }
  const found = find()
  if (found !== null) return found
  return await new Promise<ServeProcess>((resolve, reject) => {
    const check = () => {
      try {
        const now = find()
        if (now === null && !backends.some(alive)) throw new Error("every backend exited and none holds the session's websocket")
        if (now === null) return
        done()
        resolve(now)
      } catch (e) {
        done()
        reject(e)
      }
    }
    const timer = setTimeout(() => {
      done()
      reject(new Error("no backend holds the session's websocket"))
    }, PAGE_TIMEOUT)
    const done = () => {
      clearTimeout(timer)
      for (const b of backends) {
        b.child.stderr!.off("data", check)
        b.child.off("exit", check)
      }
    }
    for (const b of backends) {
      // After the ServeProcess's own listener, which appends to its log.
      b.child.stderr!.on("data", check)
      b.child.on("exit", check)
    }
  })
}

async function open_sliders(browser: TestBrowser, url: string): Promise<Page> {
  const page = await browser.newPage()
  await page.addInitScript(RECORD_SOCKETS)
  await page.goto(`${url}/sliders`)
  await page.waitForFunction(
    () => typeof Bokeh !== "undefined" && Bokeh.documents.length > 0 && Bokeh.documents[0].get_model_by_name("source") !== null,
    null,
    { timeout: PAGE_TIMEOUT },
  )
  return page
}

async function set_slider(page: Page, name: string, value: number): Promise<void> {
  await page.evaluate(
    ([n, v]) => {
      Bokeh.documents[0].get_model_by_name(n).value = v
    },
    [name, value] as const,
  )
}

/** Waits until the page's plot data is `expected` (the server's update reached the page). */
async function wait_for_wave(page: Page, expected: number[]): Promise<void> {
  await page.waitForFunction(
    (want) => {
      const y = Bokeh.documents[0]?.get_model_by_name("source")?.data?.y
      if (y === undefined || y.length !== want.length) return false
      for (let i = 0; i < want.length; i++) if (Math.abs(y[i] - want[i]) > 1e-9) return false
      return true
    },
    expected,
    { timeout: PAGE_TIMEOUT },
  )
}

async function slider_value(page: Page, name: string): Promise<number> {
  return await page.evaluate((n) => Bokeh.documents[0].get_model_by_name(n).value, name)
}

/** Waits until a session stored in Redis has the amplitude slider at `value` (each test starts with an empty Redis database of its own). */
async function until_stored_amplitude(url: string, value: number): Promise<void> {
  const keys = new Redis(url)
  const store = new RedisSessionStore(url)
  await store.connect()
  try {
    const deadline = Date.now() + PAGE_TIMEOUT
    for (;;) {
      for (const key of await keys.keys("bokeh-ts:session:*")) {
        const state = await store.load(key.slice("bokeh-ts:session:".length))
        if (state !== null && Document.from_json(state.doc, state.buffers).get_model_by_name("amplitude")?._get("value") === value) return
      }
      if (Date.now() > deadline) throw new Error("timed out waiting for the session's state in Redis")
      await new Promise((r) => setTimeout(r, 20))
    }
  } finally {
    keys.disconnect()
    await store.close()
  }
}

// Each test has a cluster of its own and a Redis database of its own: side by side.
describe("sliders behind nginx over three backends (headless Chromium)", { concurrency: true }, () => {
  let browser: TestBrowser
  let redis: RedisServer
  before(async () => {
    ;[browser, redis] = await Promise.all([launch_browser(), RedisServer.start()])
  })
  after(async () => {
    await browser?.close()
    await redis?.kill()
  })

  /** Moves a slider, stops the backend holding the session with `signal`, and checks the page after BokehJS reconnected. */
  async function resumes_after(signal: "SIGKILL" | "SIGTERM", db: number): Promise<void> {
    let cluster: Awaited<ReturnType<typeof start_cluster>> | undefined
    const store = redis.url.replace(/\/0$/, `/${db}`)
    try {
      cluster = await start_cluster(store)
      const page = await open_sliders(browser, cluster.nginx.url)
      await set_slider(page, "amplitude", 3)
      await wait_for_wave(page, wave(3, 1, 0, 0))
      const first = await holder(cluster.backends)
      // SIGKILL gives no chance to write: wait for the holder's own write (at most 100 ms after the
      // change). SIGTERM must lose nothing the page was shown, with no wait: the stop writes first.
      if (signal === "SIGKILL") await until_stored_amplitude(store, 3)
      await first.kill(signal)
      await page.waitForFunction(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.some((s, i) => i > 0 && s.readyState === 1), null, {
        timeout: PAGE_TIMEOUT,
      })
      const second = await holder(cluster.backends)
      assert.notEqual(second, first)
      assert.match(second.log, /resumed from the session store/)
      assert.equal(await slider_value(page, "amplitude"), 3)
      await wait_for_wave(page, wave(3, 1, 0, 0))
      // The next move gets its server-side update from the new backend.
      await set_slider(page, "freq", 2)
      await wait_for_wave(page, wave(3, 2, 0, 0))
      await page.close()
    } finally {
      await stop_cluster(cluster)
    }
  }

  it("with --session-store: a SIGKILLed backend's session resumes on another one", async () => {
    await resumes_after("SIGKILL", 1)
  })

  it("with --session-store: a backend stopped with SIGTERM writes its sessions first, and they resume on another one", async () => {
    await resumes_after("SIGTERM", 2)
  })

  it("without --session-store: the same kill gives a fresh session", async () => {
    let cluster: Awaited<ReturnType<typeof start_cluster>> | undefined
    try {
      cluster = await start_cluster(null)
      const page = await open_sliders(browser, cluster.nginx.url)
      await set_slider(page, "amplitude", 3)
      await wait_for_wave(page, wave(3, 1, 0, 0))
      await (await holder(cluster.backends)).kill("SIGKILL")
      await page.waitForFunction(() => (window as unknown as { __sockets: WebSocket[] }).__sockets.some((s, i) => i > 0 && s.readyState === 1), null, {
        timeout: PAGE_TIMEOUT,
      })
      await wait_for_wave(page, wave(1, 1, 0, 0))
      assert.equal(await slider_value(page, "amplitude"), 1)
      await page.close()
    } finally {
      await stop_cluster(cluster)
    }
  })
})
