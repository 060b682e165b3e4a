/**
 * The operations endpoints: off unless asked for; /liveness and /readiness (which follows draining
 * and the session store's health); /metrics in Prometheus text format, whose counters follow what the
 * server does (sessions, connections, messages by type, callbacks, store hooks).
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { create_message } from "../../../src/protocol/message.ts"
import { Slider } from "../../../src/models/main.ts"
import type { Document } from "../../../src/document/document.ts"
import { ConfigError } from "../../../src/core/errors.ts"
import { model_named, start_core, type TestServer } from "./helpers.ts"

/** Resolved by the next-tick callback of the latest session: a test waits on it, not on the time a round trip takes. */
let next_tick_ran = gate()

function slider_app(doc: Document): void {
  const slider = new Slider({ name: "slider", start: 0, end: 10, value: 1 })
  slider.on_change("value", () => {})
  doc.add_root(slider)
  doc.add_next_tick_callback(() => next_tick_ran.open())
}

function gate(): { promise: Promise<void>; open: () => void } {
  let open!: () => void
  const promise = new Promise<void>((resolve) => (open = resolve))
  return { promise, open }
}

/** The value of one sample line (`name{labels} value`), or undefined. */
function sample(exposition: string, series: string): number | undefined {
  const line = exposition.split("\n").find((l) => l.startsWith(`${series} `))
  return line === undefined ? undefined : Number(line.slice(series.length + 1))
}

describe("health and metrics endpoints", () => {
  it("are off by default (404)", async () => {
    const server = await start_core({ "/app": slider_app })
    try {
      for (const path of ["/liveness", "/readiness", "/metrics"]) assert.equal((await server.fetch(path)).status, 404, path)
    } finally {
      await server.stop()
    }
  })

  describe("when on", () => {
    let server: TestServer
    before(async () => {
      server = await start_core({ "/app": slider_app }, { health: true, metrics: true })
    })
    after(async () => await server?.stop())

    const scrape = async () => {
      const response = await server.fetch("/metrics")
      assert.equal(response.status, 200)
      assert.equal(response.headers.get("content-type"), "text/plain; version=0.0.4; charset=utf-8")
      return await response.text()
    }

    it("/liveness answers 200; /readiness 200 with no store", async () => {
      const live = await server.fetch("/liveness")
      assert.equal(live.status, 200)
      assert.deepEqual(await live.json(), { alive: true })
      const ready = await server.fetch("/readiness")
      assert.equal(ready.status, 200)
      assert.deepEqual(await ready.json(), { ready: true, draining: false, store: "none" })
      assert.equal((await server.fetch("/readiness", { method: "POST" })).status, 405)
    })

    it("/readiness is 503 while the session store is unreachable, and 200 again once it is back", async () => {
      let healthy = false
      // A stand-in for the session store (the real one, with Redis stopped, is tested with the store).
      Object.defineProperty(server.core, "session_store", { value: { healthy: () => healthy }, configurable: true })
      try {
        const down = await server.fetch("/readiness")
        assert.equal(down.status, 503)
        assert.deepEqual(await down.json(), { ready: false, draining: false, store: "unreachable" })
        assert.equal(sample(await scrape(), "bokeh_ready"), 0)
        healthy = true
        const up = await server.fetch("/readiness")
        assert.equal(up.status, 200)
        assert.deepEqual(await up.json(), { ready: true, draining: false, store: "ok" })
        assert.equal(sample(await scrape(), "bokeh_ready"), 1)
      } finally {
        delete (server.core as { session_store?: unknown }).session_store
      }
    })

    it("counts sessions, connections, messages and bytes by type, and callbacks by kind", async () => {
      const before = await scrape()
      const n = (text: string, series: string) => sample(text, series) ?? 0
      next_tick_ran = gate()
      const client = await server.connect("/app")
      await client.ack()
      const reply = await client.request("PULL-DOC-REQ", {})
      const slider = model_named((reply.content as { doc: unknown }).doc, "slider")
      const patch = { events: [{ kind: "ModelChanged", model: { id: slider.id }, attr: "value", new: 7 }] }
      const ok = await client.request("PATCH-DOC", patch as never)
      assert.equal(ok.header.msgtype, "OK")
      // The session's next-tick callback runs on a timer, in no order with the messages.
      await next_tick_ran.promise
      const after = await scrape()
      assert.equal(n(after, "bokeh_sessions_created_total") - n(before, "bokeh_sessions_created_total"), 1)
      assert.equal(n(after, "bokeh_session_build_seconds_count") - n(before, "bokeh_session_build_seconds_count"), 1)
      assert.equal(n(after, "bokeh_sessions_open"), 1)
      assert.equal(n(after, "bokeh_connections_open"), 1)
      assert.equal(n(after, "bokeh_connections_opened_total") - n(before, "bokeh_connections_opened_total"), 1)
      assert.equal(n(after, 'bokeh_messages_received_total{msgtype="PATCH-DOC"}') - n(before, 'bokeh_messages_received_total{msgtype="PATCH-DOC"}'), 1)
      assert.equal(n(after, 'bokeh_messages_received_total{msgtype="PULL-DOC-REQ"}') - n(before, 'bokeh_messages_received_total{msgtype="PULL-DOC-REQ"}'), 1)
      assert.equal(n(after, 'bokeh_messages_sent_total{msgtype="ACK"}') - n(before, 'bokeh_messages_sent_total{msgtype="ACK"}'), 1)
      assert.equal(n(after, 'bokeh_messages_sent_total{msgtype="OK"}') - n(before, 'bokeh_messages_sent_total{msgtype="OK"}'), 1)
      // Bytes are the frames' bytes: the PATCH-DOC's header, metadata and content as sent.
      const patch_bytes = n(after, 'bokeh_received_bytes_total{msgtype="PATCH-DOC"}') - n(before, 'bokeh_received_bytes_total{msgtype="PATCH-DOC"}')
      const m = create_message("PATCH-DOC", patch as never)
      assert.ok(patch_bytes >= JSON.stringify(m.content).length + JSON.stringify(m.header).length, `PATCH-DOC bytes ${patch_bytes}`)
      assert.ok(n(after, 'bokeh_sent_bytes_total{msgtype="PULL-DOC-REPLY"}') > n(before, 'bokeh_sent_bytes_total{msgtype="PULL-DOC-REPLY"}'))
      // The slider's on_change callback ran for the patch; the next-tick callback ran after creation.
      assert.ok(n(after, 'bokeh_callback_duration_seconds_count{kind="on_change"}') > n(before, 'bokeh_callback_duration_seconds_count{kind="on_change"}'))
      assert.ok(n(after, 'bokeh_callback_duration_seconds_count{kind="next_tick"}') > n(before, 'bokeh_callback_duration_seconds_count{kind="next_tick"}'))
      // Event-loop lag and process metrics come with it.
      assert.ok(sample(after, "nodejs_eventloop_lag_seconds") !== undefined)
      client.close()
      await client.closed
    })

    it("exposes hooks the session store reports through", async () => {
      const before = await scrape()
      server.core.metrics.session_resumed()
      server.core.metrics.store_write(0.002, 9000)
      server.core.metrics.store_write_failed()
      const after = await scrape()
      const delta = (series: string) => (sample(after, series) ?? 0) - (sample(before, series) ?? 0)
      assert.equal(delta("bokeh_sessions_resumed_total"), 1)
      assert.equal(delta("bokeh_store_write_seconds_count"), 1)
      assert.equal(delta('bokeh_store_write_seconds_bucket{le="0.0025"}'), 1)
      assert.equal(delta("bokeh_store_write_failures_total"), 1)
      assert.equal(delta("bokeh_store_written_bytes_total"), 9000)
    })
  })

  it("live under --prefix at the paths asked for", async () => {
    const server = await start_core(
      { "/app": slider_app },
      { prefix: "p", liveness_endpoint: "healthz", readiness_endpoint: "/readyz", metrics_endpoint: "/prom" },
    )
    try {
      const get = async (path: string) => (await server.fetch(path)).status
      assert.equal(await get("/p/healthz"), 200)
      assert.equal(await get("/p/readyz"), 200)
      assert.equal(await get("/p/prom"), 200)
      assert.equal(await get("/p/metrics"), 404)
      assert.equal(await get("/healthz"), 404)
    } finally {
      await server.stop()
    }
  })

  it("refuse endpoints inside an app's path", async () => {
    await assert.rejects(
      start_core({ "/app": slider_app }, { metrics_endpoint: "/app/metrics" }),
      (e: unknown) => e instanceof ConfigError && /inside an app's path/.test(e.message),
    )
  })
})
