/**
 * Python's stock bokeh.client against our server, each check also run against Python's own `bokeh serve` of the
 * twin app so the two servers are held to the same client-visible behaviour.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { pull_session } from "../../src/client/session.ts"
import { Div } from "../../src/models/main.ts"
import { PyAgent, skip, start_our_server, start_python_server, type AppServer } from "./python.ts"

interface Pulled {
  id: string
  connected: boolean
  title: string
  roots: number
}
type Seen = Array<[string, string | null, string | null]>

describe("Python's bokeh.client against our server (and Python's, for comparison)", { skip }, () => {
  let py: PyAgent
  let ours: AppServer
  let theirs: AppServer

  before(async () => {
    ;[py, ours, theirs] = await Promise.all([PyAgent.start(), start_our_server(["echo", "ticker", "empty"]), start_python_server(["echo", "ticker", "empty"])])
  })
  after(async () => {
    await Promise.all([py?.stop(), ours?.stop(), theirs?.stop()])
  })

  /** Runs `check` against both servers and asserts both give the same result; returns ours. */
  async function both<T>(check: (server: AppServer, tag: string) => Promise<T>): Promise<T> {
    const a = await check(ours, "ours")
    const b = await check(theirs, "theirs")
    assert.deepEqual(a, b, "our server and Python's differ")
    return a
  }

  it("pull_session with arguments (non-ASCII too) runs the app with them; the title survives", async () => {
    const args = { N: "10", name: "Zoë ✓ 日本", "a b": "x&y=z" }
    const got = await both(async (server, tag) => {
      const pulled = await py.call<Pulled>("client.pull", { name: `args-${tag}`, url: server.url("echo"), arguments: args })
      const texts = await py.call<Record<string, string>>("client.texts", { name: `args-${tag}` })
      await py.call("client.close", { name: `args-${tag}` })
      return { connected: pulled.connected, title: pulled.title, roots: pulled.roots, args: JSON.parse(texts["args"]!) as unknown }
    })
    assert.deepEqual(got, { connected: true, title: "Echo ünïcode", roots: 1, args: { N: ["10"], "a b": ["x&y=z"], name: ["Zoë ✓ 日本"] } })
  })

  it("two-way patches: Python's change reaches the app, the app's answer comes back, the change is not echoed", async () => {
    const got = await both(async (server, tag) => {
      const name = `patch-${tag}`
      await py.call("client.pull", { name, url: server.url("echo") })
      await py.call("client.set_value", { name, model: "in", attr: "value", value: 7, until: ["out", "text", "value: 7"] })
      await py.call("client.set_value", { name, model: "in", attr: "value", value: 8, until: ["out", "text", "value: 8"] })
      const texts = await py.call<Record<string, string>>("client.texts", { name })
      const seen = await py.call<Seen>("client.seen_patches", { name })
      await py.call("client.close", { name })
      return { out: texts["out"], seen }
    })
    assert.equal(got.out, "value: 8")
    assert.deepEqual(got.seen, [
      ["ModelChanged", "out", "text"],
      ["ModelChanged", "out", "text"],
    ])
  })

  it("push_session, then pull by id from a second Python client and from our Node client; changes flow between all", async () => {
    const got = await both(async (server, tag) => {
      const { id } = await py.call<{ id: string }>("client.push_doc", { name: `pusher-${tag}`, url: server.url("echo") })
      const second = await py.call<Pulled>("client.pull", { name: `puller-${tag}`, url: server.url("echo"), session_id: id })
      const pushed = await py.call<Record<string, unknown>>("client.doc_json", { name: `pusher-${tag}` })
      const pulled = await py.call<Record<string, unknown>>("client.doc_json", { name: `puller-${tag}` })
      assert.deepEqual(pulled, pushed, "the second Python client pulls what the first pushed")

      await using node = await pull_session({ url: server.url("echo"), session_id: id })
      const div = node.document!.select_one({ name: "pushed_div" }) as Div
      const node_view = { title: node.document!.title, div: div.text }

      // Python → server → Node and the other Python client; Node → server → both Python clients.
      await py.call("client.set_value", { name: `pusher-${tag}`, model: "pushed_div", attr: "text", value: "from Python ✓" })
      await node.force_roundtrip()
      const node_sees = div.text
      div.text = "from Node ✓"
      await node.force_roundtrip()
      const pusher_sees = await py.call<string>("client.wait_value", { name: `pusher-${tag}`, model: "pushed_div", attr: "text", value: "from Node ✓" })
      const puller_sees = await py.call<string>("client.wait_value", { name: `puller-${tag}`, model: "pushed_div", attr: "text", value: "from Node ✓" })
      await py.call("client.close", { name: `pusher-${tag}` })
      await py.call("client.close", { name: `puller-${tag}` })
      return { second: { title: second.title, roots: second.roots }, node_title: node_view.title, node_div: node_view.div, node_sees, pusher_sees, puller_sees }
    })
    assert.deepEqual(got, {
      second: { title: "pushed from Python", roots: 1 },
      node_title: "pushed from Python",
      node_div: "hello ✓",
      node_sees: "from Python ✓",
      pusher_sees: "from Node ✓",
      puller_sees: "from Node ✓",
    })
  })

  it("roots added and removed and the title, from Python and from our Node client, reach the other side", async () => {
    const got = await both(async (server, tag) => {
      const name = `roots-${tag}`
      const { id } = await py.call<Pulled>("client.pull", { name, url: server.url("empty") })
      await using node = await pull_session({ url: server.url("empty"), session_id: id })
      await py.call("client.add_div", { name, model: "a", text: "A ✓" })
      await py.call("client.add_div", { name, model: "b", text: "B" })
      await py.call("client.set_title", { name, title: "from Python ✓" })
      await py.call("client.remove_root", { name, model: "a" })
      await node.force_roundtrip()
      const node_sees = {
        roots: node.document!.roots.map((r) => (r as Div).name).sort(),
        title: node.document!.title,
        b: (node.document!.select_one({ name: "b" }) as Div | null)?.text,
      }
      node.document!.add_root(new Div({ name: "c", text: "from Node" }))
      node.document!.remove_root(node.document!.select_one({ name: "b" })!)
      node.document!.title = "from Node ✓"
      await node.force_roundtrip()
      const python_sees = await py.call("client.wait_roots", { name, names: ["c"], title: "from Node ✓" })
      await py.call("client.close", { name })
      return { node_sees, python_sees }
    })
    assert.deepEqual(got, {
      node_sees: { roots: ["b"], title: "from Python ✓", b: "B" },
      python_sees: { roots: ["c"], title: "from Node ✓" },
    })
  })

  it("changes a periodic callback makes on the server reach Python's client", async () => {
    const got = await both(async (server, tag) => {
      await py.call("client.pull", { name: `tick-${tag}`, url: server.url("ticker") })
      const ticked = await py.call("client.wait_tick", { name: `tick-${tag}`, at_least: 3 })
      await py.call("client.close", { name: `tick-${tag}` })
      return ticked
    })
    assert.equal(got, true)
  })

  it("request_server_info answers with the same shape", async () => {
    const info = await both(async (server, tag) => {
      await py.call("client.pull", { name: `info-${tag}`, url: server.url("echo") })
      const reply = await py.call<{ version_info: Record<string, string> }>("client.server_info", { name: `info-${tag}` })
      await py.call("client.close", { name: `info-${tag}` })
      return Object.keys(reply.version_info).sort()
    })
    assert.deepEqual(info, ["bokeh", "server"])
  })

  it("show_session and session.show open <app url>?bokeh-session-id=<id>", async () => {
    await both(async (server, tag) => {
      const { id } = await py.call<Pulled>("client.pull", { name: `show-${tag}`, url: server.url("echo") })
      const shown = await py.call<Array<[string, number]>>("client.show_url", { name: `show-${tag}` })
      // Python's client puts a slash after the app path (server_url_for_websocket_url), whoever the server is.
      assert.deepEqual(shown, [[`${server.url("echo")}/?bokeh-session-id=${id}`, 2]])
      const by_id = await py.call<Array<[string, number]>>("client.show_url", { name: `show-${tag}`, app_url: server.url("echo"), session_id: "my-id" })
      assert.deepEqual(by_id, [[`${server.url("echo")}?bokeh-session-id=my-id`, 2]])
      await py.call("client.close", { name: `show-${tag}` })
      return null
    })
  })

  it("closing disconnects the Python client", async () => {
    const got = await both(async (server, tag) => {
      await py.call("client.pull", { name: `close-${tag}`, url: server.url("echo") })
      return await py.call("client.close", { name: `close-${tag}` })
    })
    assert.deepEqual(got, { connected: false, state: "DISCONNECTED" })
  })
})
