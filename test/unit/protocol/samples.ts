import type { ContentOf, MsgType } from "../../../src/protocol/msgtypes.ts"

/** A plausible content for every msgtype. */
export const sample_content: { [T in MsgType]: ContentOf[T] } = {
  ACK: {},
  OK: {},
  ERROR: { text: "ValueError('boom')", traceback: "Traceback (most recent call last): ..." },
  "PULL-DOC-REQ": {},
  "PULL-DOC-REPLY": { doc: { version: "3.10.0", title: "Echo", roots: [] } },
  "PUSH-DOC": { doc: { version: "3.10.0", title: "Pushed", roots: [{ type: "object", name: "Div", id: "p1", attributes: { text: "é😀" } }] } },
  "PATCH-DOC": { events: [{ kind: "ModelChanged", model: { id: "p1004" }, attr: "value", new: 42 }] },
  "SERVER-INFO-REQ": {},
  "SERVER-INFO-REPLY": { version_info: { bokeh: "3.10.0", server: "3.10.0" } },
}
