/**
 * page_load: headless Chromium over an emulated ordinary link (20 Mbit/s both ways, 40 ms round trip,
 * through the DevTools protocol) loads the sliders app page with an empty cache (cold), then again in
 * the same browser context (warm). Measured from navigation start, in the page: the first plot drawn
 * (its view has finished rendering), and the first server round trip (the amplitude slider set from
 * the page, the server's patch of the label's text shown in the page). Counted through DevTools: the
 * bytes the page's HTTP requests moved (headers included, as compressed on the wire), the requests
 * that reached the network, and how many of them were for BokehJS bundles.
 */
import type { BrowserContext, CDPSession, Page } from "playwright-core"

import { derived_text } from "../apps/sliders.ts"
import { launch_chromium } from "../lib/browser.ts"
import { start_child_server } from "../lib/child_server.ts"
import { summarize } from "../lib/stats.ts"
import { BenchFailure, below, type Row, type Scenario } from "../lib/types.ts"

const LINK = { offline: false, latency: 40, downloadThroughput: 20e6 / 8, uploadThroughput: 20e6 / 8 }
const LOADS = Number(process.env["BENCH_PAGE_LOADS"] ?? 5)
const AMPLITUDE = 2

/** Runs in the page before its scripts: polls (every ~4 ms) for the plot, then does the round trip. */
const PROBE = `(() => {
  const expected = ${JSON.stringify(derived_text(AMPLITUDE))};
  const find_view = (model) => {
    for (const root of Object.values(window.Bokeh.index)) {
      const view = root.owner.find_one(model);
      if (view != null) return view;
    }
    return null;
  };
  const tick = () => {
    const Bokeh = window.Bokeh;
    if (Bokeh !== undefined && Bokeh.documents !== undefined && Bokeh.documents.length > 0 && Bokeh.index !== undefined) {
      const doc = Bokeh.documents[0];
      if (window.__t_plot === undefined) {
        const Plot = Bokeh.require("models/plots/plot").Plot;
        const plot = [...doc.all_models].find((m) => m instanceof Plot);
        const view = plot === undefined ? null : find_view(plot);
        if (view !== null && view.has_finished()) {
          window.__t_plot = performance.now();
          doc.get_model_by_name("amplitude").value = ${AMPLITUDE};
        }
      } else {
        const label = doc.get_model_by_name("label");
        const view = label === null ? null : find_view(label);
        if (view !== null && (view.shadow_el ?? view.el).textContent.includes(expected)) {
          window.__t_roundtrip = performance.now();
          return;
        }
      }
    }
    setTimeout(tick, 0);
  };
  tick();
})();`

interface Load {
  plot_ms: number
  roundtrip_ms: number
  bytes: number
  requests: number
  bundle_requests: number
}

/** Network accounting for one page through DevTools: only requests that reached the network count. */
class Traffic {
  private readonly requests = new Map<string, { url: string; cached: boolean; bytes: number }>()

  constructor(cdp: CDPSession) {
    cdp.on("Network.requestWillBeSent", (e) => {
      if (!e.request.url.startsWith("data:")) this.requests.set(e.requestId, { url: e.request.url, cached: false, bytes: 0 })
    })
    cdp.on("Network.requestServedFromCache", (e) => {
      const r = this.requests.get(e.requestId)
      if (r !== undefined) r.cached = true
    })
    cdp.on("Network.responseReceived", (e) => {
      const r = this.requests.get(e.requestId)
      if (r !== undefined && (e.response.fromDiskCache === true || e.response.fromPrefetchCache === true || e.response.fromServiceWorker === true))
        r.cached = true
    })
    cdp.on("Network.loadingFinished", (e) => {
      const r = this.requests.get(e.requestId)
      if (r !== undefined) r.bytes = e.encodedDataLength
    })
  }

  reset(): void {
    this.requests.clear()
  }

  totals(): Pick<Load, "bytes" | "requests" | "bundle_requests"> {
    const network = [...this.requests.values()].filter((r) => !r.cached)
    return {
      bytes: network.reduce((sum, r) => sum + r.bytes, 0),
      requests: network.length,
      bundle_requests: network.filter((r) => /\/(static\/js\/|bokeh\/release\/)bokeh[-a-z]*[.-]/.test(r.url)).length,
    }
  }
}

async function emulated_page(context: BrowserContext): Promise<{ page: Page; traffic: Traffic }> {
  const page = await context.newPage()
  await page.addInitScript(PROBE)
  const cdp = await context.newCDPSession(page)
  await cdp.send("Network.enable")
  await cdp.send("Network.emulateNetworkConditions", LINK)
  return { page, traffic: new Traffic(cdp) }
}

async function load(page: Page, traffic: Traffic, url: string): Promise<Load> {
  traffic.reset()
  const response = await page.goto(url, { waitUntil: "commit", timeout: 30_000 })
  if (response === null || response.status() !== 200) throw new BenchFailure(`page_load: GET ${url} answered ${response?.status() ?? "nothing"}`)
  await page
    .waitForFunction(() => (window as { __t_roundtrip?: number }).__t_roundtrip !== undefined, null, { timeout: 30_000, polling: 50 })
    .catch((error: Error) => {
      throw new BenchFailure(
        `page_load: ${url} did not show a plot and the server's "${derived_text(AMPLITUDE)}" within 30 s (${error.message.split("\n")[0]})`,
      )
    })
  const [plot_ms, roundtrip_ms] = await page.evaluate(() => [
    (window as { __t_plot?: number }).__t_plot!,
    (window as { __t_roundtrip?: number }).__t_roundtrip!,
  ])
  // Requests still in flight (a favicon) finish on their own; what the page needed has arrived.
  return { plot_ms, roundtrip_ms, ...traffic.totals() }
}

async function measure(url: string): Promise<Row[]> {
  const browser = await launch_chromium()
  try {
    const cold: Load[] = []
    const warm: Load[] = []
    // The first load after a server starts is not counted: ours compresses each bundle on its first request.
    for (let i = 0; i <= LOADS; i++) {
      const context = await browser.newContext()
      const { page, traffic } = await emulated_page(context)
      const first = await load(page, traffic, url)
      const again = await load(page, traffic, url)
      await context.close()
      if (i === 0) continue
      cold.push(first)
      warm.push(again)
    }
    const rows: Row[] = []
    for (const [phase, loads] of [
      ["cold", cold],
      ["warm", warm],
    ] as const) {
      const median = (f: (l: Load) => number) => summarize(loads.map(f)).p50
      rows.push({ scenario: "page_load", metric: `${phase} bytes transferred`, value: median((l) => l.bytes) / 1000, unit: "kB" })
      rows.push({ scenario: "page_load", metric: `${phase} requests`, value: median((l) => l.requests), unit: "" })
      const bundles = { scenario: "page_load", metric: `${phase} bundle requests`, value: Math.max(...loads.map((l) => l.bundle_requests)), unit: "" }
      rows.push(phase === "warm" ? below(bundles, 1, "0") : bundles)
      rows.push({ scenario: "page_load", metric: `${phase} time to first plot p50`, value: median((l) => l.plot_ms), unit: "ms" })
      rows.push({ scenario: "page_load", metric: `${phase} time to first round trip p50`, value: median((l) => l.roundtrip_ms), unit: "ms" })
    }
    return rows
  } finally {
    await browser.close()
  }
}

export const page_load: Scenario = {
  name: "page_load",
  description:
    "Chromium on an emulated 20 Mbit/s, 40 ms RTT link: the sliders page cold and warm, to the first plot drawn and the first server round trip shown",
  targets: "any",
  async run(ctx) {
    if (ctx.target !== undefined) return await measure(ctx.target)
    const server = await start_child_server("bokeh_server")
    try {
      return await measure(`http://127.0.0.1:${server.port}/sliders`)
    } finally {
      await server.stop()
    }
  },
}
