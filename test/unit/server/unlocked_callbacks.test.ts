/**
 * `without_document_lock` callbacks see Python's UnlockedDocumentProxy through curdoc(): only
 * add/remove_next_tick_callback work; the next-tick callback they schedule runs locked with the real
 * document, and its changes reach the connections.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { BokehError } from "../../../src/core/errors.ts"
import { Document } from "../../../src/document/document.ts"
import { without_document_lock } from "../../../src/document/locking.ts"
import { curdoc } from "../../../src/io/doc.ts"
import { Div } from "../../../src/models/main.ts"
import type { Message } from "../../../src/protocol/message.ts"
import { ServerSession } from "../../../src/server/session.ts"

function deferred(): { promise: Promise<void>; resolve: () => void } {
  let resolve!: () => void
  const promise = new Promise<void>((r) => {
    resolve = r
  })
  return { promise, resolve }
}

function is_locked_error(e: unknown): boolean {
  return e instanceof BokehError && e.code === "BK_ERR_DOCUMENT_LOCKED" && /add_next_tick_callback/.test(e.message)
}

describe("without_document_lock callbacks", () => {
  it("get a curdoc() that only schedules next-tick callbacks; those run locked on the real document", { timeout: 30_000 }, async () => {
    const doc = new Document()
    const div = new Div({ text: "before" })
    doc.add_root(div)
    const sent: Message[] = []
    const done = deferred()
    const unlocked_done = deferred()
    const patched = deferred()
    const seen: Record<string, unknown> = {}

    doc.add_next_tick_callback(
      without_document_lock(async () => {
        try {
          const unlocked = curdoc()
          seen["distinct"] = unlocked !== doc
          for (const [what, attempt] of Object.entries({
            read_roots: () => unlocked.roots,
            get_model: () => unlocked.get_model_by_id(div.id),
            add_root: () => unlocked.add_root(new Div()),
            set_title: () => {
              unlocked.title = "x"
            },
          })) {
            try {
              attempt()
              seen[what] = "allowed"
            } catch (e) {
              seen[what] = is_locked_error(e) ? "refused" : e
            }
          }
          // An awaited value passing through the runtime must not trip the proxy (it probes `then`).
          await Promise.resolve(unlocked)
          const scheduled = unlocked.add_next_tick_callback(() => {
            seen["locked_curdoc_is_doc"] = curdoc() === doc
            div.text = "after"
            done.resolve()
          })
          seen["scheduled"] = scheduled.id.length > 0
        } finally {
          unlocked_done.resolve()
        }
      }),
    )

    const session = new ServerSession("s", doc, "t")
    session.subscribe({
      send_message: (m) => {
        sent.push(m)
        if (m.header.msgtype === "PATCH-DOC") patched.resolve()
      },
    })
    // A broken proxy ends the unlocked callback before it schedules anything: the assertion below says so.
    await unlocked_done.promise
    if (seen["scheduled"] === true) await Promise.all([done.promise, patched.promise])
    assert.deepEqual(seen, {
      distinct: true,
      get_model: "refused",
      read_roots: "refused",
      add_root: "refused",
      set_title: "refused",
      scheduled: true,
      locked_curdoc_is_doc: true,
    })
    assert.equal(div.text, "after")
    const patches = sent.filter((m) => m.header.msgtype === "PATCH-DOC")
    assert.equal(patches.length, 1)
    assert.match(JSON.stringify(patches[0]!.content), /"new":"after"/)
    session.destroy()
  })

  it("remove_next_tick_callback through the proxy cancels a callback", async () => {
    const doc = new Document()
    const ran: string[] = []
    const finished = deferred()
    doc.add_next_tick_callback(
      without_document_lock(() => {
        const cb = curdoc().add_next_tick_callback(() => {
          ran.push("cancelled one")
        })
        curdoc().remove_next_tick_callback(cb)
        curdoc().add_next_tick_callback(() => {
          ran.push("kept")
          finished.resolve()
        })
      }),
    )
    const session = new ServerSession("s", doc, "t")
    // Next-tick callbacks run in the order they were added: had the cancel failed, the first would have run before "kept".
    await finished.promise
    assert.deepEqual(ran, ["kept"])
    session.destroy()
  })

  it("locked callbacks still get the document itself", async () => {
    const doc = new Document()
    const finished = deferred()
    let same = false
    doc.add_next_tick_callback(() => {
      same = curdoc() === doc
      finished.resolve()
    })
    const session = new ServerSession("s", doc, "t")
    await finished.promise
    assert.ok(same)
    session.destroy()
  })
})
