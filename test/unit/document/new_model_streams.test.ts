/**
 * A model a peer does not have goes into a patch in full with its current data, which already holds what
 * later streams and patches of the batch added: those must not be applied a second time.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { Document } from "../../../src/document/document.ts"
import { create_json_patch } from "../../../src/document/patches.ts"
import type { DocumentPatchedEvent } from "../../../src/document/events.ts"
import { DocumentPatchedEvent as Patched } from "../../../src/document/events.ts"
import { ColumnDataSource, Div } from "../../../src/models/main.ts"

async function peer_after(batch: (doc: Document) => void): Promise<{ server: Document; peer: Document }> {
  const server = new Document()
  server.add_root(new Div({ text: "root" }))
  const peer = Document.from_json(server.to_json()) // marks the server's models as known
  const events: DocumentPatchedEvent[] = []
  server.on_change((e) => {
    if (e instanceof Patched) events.push(e)
  })
  batch(server)
  const { content, buffers } = create_json_patch(server, events)
  await peer.apply_json_patch(content, new Map(buffers.map((b) => [b.id, b.data])))
  return { server, peer }
}

describe("patches for models new to the peer", () => {
  it("a source added and streamed into in one batch arrives with each row once", async () => {
    const { server, peer } = await peer_after((doc) => {
      const source = new ColumnDataSource({ name: "s", data: { a: [1] } })
      doc.add_root(source)
      source.stream({ a: [2, 3] })
      source.patch({ a: [[0, 10]] })
      source.stream({ a: [4] })
    })
    assert.deepEqual(peer.to_json(), server.to_json())
    assert.deepEqual((peer.select_one({ name: "s" }) as ColumnDataSource).data["a"], [10, 2, 3, 4])
  })
})
