/**
 * Recorded Python Bokeh traffic (test/fixtures/vectors) against our Document: PULL-DOC-REPLY and
 * PUSH-DOC documents load, the PATCH-DOCs of the same connection apply (buffers rebuilt from the
 * `{"id"}` text frame and the binary frame after it), and our re-serialization loads in BokehJS with
 * equal values.
 */
import assert from "node:assert/strict"
import { readFileSync } from "node:fs"
import { describe, it } from "node:test"

import { BokehError } from "../../src/core/errors.ts"
import { Document } from "../../src/document/document.ts"
import "../../src/models/main.ts"
import { B, diff_document, to_bokehjs } from "./oracle.ts"

B.set_log_level("error")

type Frame = { dir: "C->S" | "S->C"; conn?: number; text?: string; hex?: string }

interface Recorded {
  /** index of the message's first frame in the recording */
  readonly at: number
  readonly conn: number
  readonly dir: Frame["dir"]
  readonly header: { msgid: string; msgtype: string; num_buffers?: number }
  readonly content: Record<string, unknown>
  readonly buffers: Map<string, Uint8Array>
}

/** Splits a recording into messages: header, metadata, content, then an `{"id"}` text frame and a binary frame per buffer. */
function messages(name: string): Recorded[] {
  const frames: Frame[] = JSON.parse(readFileSync(new URL(`../fixtures/vectors/${name}`, import.meta.url), "utf8")).frames
  const streams = new Map<string, Array<[number, Frame]>>()
  frames.forEach((f, i) => {
    const key = `${f.conn ?? 0} ${f.dir}`
    streams.set(key, [...(streams.get(key) ?? []), [i, f]])
  })
  const out: Recorded[] = []
  for (const stream of streams.values()) {
    let k = 0
    const next = (): [number, Frame] => {
      const f = stream[k++]
      assert.ok(f !== undefined, `${name}: the recording ends inside a message`)
      return f
    }
    while (k < stream.length) {
      const [at, h] = next()
      const header = JSON.parse(h.text!)
      JSON.parse(next()[1].text!) // metadata
      const content = JSON.parse(next()[1].text!)
      const buffers = new Map<string, Uint8Array>()
      for (let b = 0; b < (header.num_buffers ?? 0); b++) {
        const { id } = JSON.parse(next()[1].text!) as { id: string }
        const bin = next()[1]
        assert.ok(bin.hex !== undefined, `${name}: a binary frame follows the buffer header ${id}`)
        buffers.set(id, new Uint8Array(Buffer.from(bin.hex, "hex")))
      }
      out.push({ at, conn: h.conn ?? 0, dir: h.dir, header, content, buffers })
    }
  }
  return out.sort((a, b) => a.at - b.at)
}

interface Replayed {
  doc: Document
  applied: string[]
  skipped: string[]
}

/** Loads each doc message and applies the later PATCH-DOCs of its connection that fit it. */
async function replay(name: string): Promise<Replayed[]> {
  const out: Replayed[] = []
  const by_conn = new Map<number, Replayed>()
  for (const m of messages(name)) {
    if (m.header.msgtype === "PULL-DOC-REPLY" || m.header.msgtype === "PUSH-DOC") {
      const r: Replayed = { doc: Document.from_json(m.content.doc, m.buffers), applied: [], skipped: [] }
      out.push(r)
      by_conn.set(m.conn, r)
    } else if (m.header.msgtype === "PATCH-DOC") {
      const r = by_conn.get(m.conn)
      if (r === undefined) continue
      const before = JSON.stringify(r.doc.to_json())
      try {
        await r.doc.apply_json_patch(m.content, m.buffers, "conn")
        r.applied.push(m.header.msgid)
      } catch (e) {
        // a patch that doesn't fit this document (it refers to models it never had) changes nothing
        assert.ok(e instanceof BokehError && e.code === "BK_ERR_UNKNOWN_REFERENCE", `${name} ${m.header.msgid}: ${String(e)}`)
        assert.equal(JSON.stringify(r.doc.to_json()), before)
        r.skipped.push(m.header.msgid)
      }
    }
  }
  return out
}

function check_in_bokehjs(doc: Document): void {
  for (const arrays of ["base64", "buffers"] as const) {
    const bdoc = to_bokehjs(doc, arrays)
    assert.deepEqual(diff_document(doc, bdoc), [], `values through ${arrays}`)
    assert.deepEqual(
      bdoc.roots().map((r: { id: string }) => r.id),
      doc.roots.map((r) => r.id),
    )
    assert.equal(bdoc.title(), doc.title)
  }
}

describe("recorded Python traffic loads, patches and round-trips through BokehJS", () => {
  it("the frame splitter rebuilds binary buffers (vector 03)", () => {
    const patch = messages("03_sliders_frames.json").find((m) => m.header.msgtype === "PATCH-DOC" && m.buffers.size > 0)
    assert.ok(patch !== undefined)
    assert.equal(patch.buffers.size, patch.header.num_buffers)
    for (const data of patch.buffers.values()) assert.equal(data.byteLength % 8, 0)
  })

  it("vector 02: echo app", async () => {
    const [r, ...rest] = await replay("02_echo_frames.json")
    assert.equal(rest.length, 0)
    assert.equal(r!.doc.title, "Echo")
    assert.deepEqual(r!.applied.length, 2)
    assert.deepEqual(r!.skipped, [])
    assert.equal((r!.doc.get_model_by_id("p1005") as unknown as { text: string }).text, "value: 42")
    assert.equal((r!.doc.get_model_by_id("p1004") as unknown as { value: unknown }).value, 42)
    check_in_bokehjs(r!.doc)
  })

  it("vector 03: sliders app with binary-buffer patches", async () => {
    const [r, ...rest] = await replay("03_sliders_frames.json")
    assert.equal(rest.length, 0)
    assert.equal(r!.applied.length, 2)
    assert.deepEqual(r!.skipped, [])
    check_in_bokehjs(r!.doc)
  })

  it("vector 04: streaming", async () => {
    const [r, ...rest] = await replay("04_stream_frames.json")
    assert.equal(rest.length, 0)
    assert.equal(r!.applied.length, 2)
    assert.deepEqual(r!.skipped, [])
    check_in_bokehjs(r!.doc)
  })

  it("vector 05: push then pull (the patch removing p1128, not in the pushed doc, is skipped)", async () => {
    const [pushed, pulled, ...rest] = await replay("05_push_pull_frames.json")
    assert.equal(rest.length, 0)
    assert.deepEqual(pushed!.skipped, ["p1130"])
    assert.ok(pushed!.applied.length >= 1)
    assert.equal(pushed!.doc.title, "Pushed")
    assert.deepEqual(
      pushed!.doc.roots.map((r) => r.id),
      ["p1001"],
    )
    assert.deepEqual(
      pulled!.doc.roots.map((r) => r.id),
      ["p1001"],
    )
    assert.equal((pulled!.doc.roots[0] as unknown as { text: string }).text, "hello")
    check_in_bokehjs(pushed!.doc)
    check_in_bokehjs(pulled!.doc)
  })
})
