/**
 * Our client against a real `python -m bokeh serve`: documents we push must be read by Python's
 * server and come back equal when pulled.
 */
import assert from "node:assert/strict"
import { after, before, describe, it } from "node:test"

import { pull_session, push_session } from "../../../src/client/session.ts"
import { Document } from "../../../src/document/document.ts"
import { ColumnDataSource, Slider } from "../../../src/models/main.ts"
import { needs_python, start_python_server, type PythonServer } from "./peer.ts"

const app = new URL("../../fixtures/python_apps/empty.py", import.meta.url).pathname

describe("our client → Python bokeh serve", needs_python, () => {
  let server: PythonServer
  before(async () => {
    server = await start_python_server(app)
  })
  after(async () => {
    await server.stop()
  })

  it("push_session is accepted (config is always in the document JSON) and pulls back", async () => {
    const doc = new Document()
    doc.add_root(new Slider({ name: "s", start: 0, end: 10, value: 2.5 }))
    await using pushed = await push_session(doc, { url: `${server.url}/empty` })
    await using pulled = await pull_session({ url: `${server.url}/empty`, session_id: pushed.id })
    const slider = pulled.document!.roots[0] as Slider
    assert.equal(slider.value, 2.5)
    assert.equal(slider.name, "s")
    assert.ok(!server.log().includes("KeyError"), server.log())
  })

  it("push_session sends numeric arrays as binary buffers, which Python keeps as typed arrays", async () => {
    const doc = new Document()
    const x = Float64Array.from([0.5, 1.5, 2.5])
    const i = Int32Array.from([1, -2, 3])
    doc.add_root(new ColumnDataSource({ name: "cds", data: { x, i } }))
    await using pushed = await push_session(doc, { url: `${server.url}/empty` })
    await using pulled = await pull_session({ url: `${server.url}/empty`, session_id: pushed.id })
    const data = (pulled.document!.get_model_by_name("cds") as ColumnDataSource).data
    // Had they gone as lists, Python would hold lists and send them back as lists.
    assert.deepEqual(data["x"], x)
    assert.deepEqual(data["i"], i)
  })
})
