/**
 * The nine Bokeh protocol messages (docs/protocol.md §4.1) and the shape of each one's content.
 * Document JSON and patch events stay loosely typed here; the document layer decodes them.
 */

import { ProtocolError, preview } from "../core/errors.ts"

/** Every msgtype of the protocol, in no particular order. */
export const msgtypes = ["ACK", "OK", "ERROR", "PULL-DOC-REQ", "PULL-DOC-REPLY", "PUSH-DOC", "PATCH-DOC", "SERVER-INFO-REQ", "SERVER-INFO-REPLY"] as const

export type MsgType = (typeof msgtypes)[number]

/** A JSON object whose members are not examined at this layer. */
export type JSONObject = { [key: string]: unknown }

/** Content of the messages that carry nothing (`{}`); extra members are tolerated on receipt. */
export type EmptyContent = JSONObject

/** Content of each msgtype. */
export interface ContentOf {
  ACK: EmptyContent
  OK: EmptyContent
  ERROR: { text: string; traceback: string | null }
  "PULL-DOC-REQ": EmptyContent
  "PULL-DOC-REPLY": { doc: JSONObject }
  "PUSH-DOC": { doc: JSONObject }
  "PATCH-DOC": { events: unknown[] }
  "SERVER-INFO-REQ": EmptyContent
  "SERVER-INFO-REPLY": { version_info: { bokeh: string; server: string } }
}

const known: ReadonlySet<string> = new Set(msgtypes)

/** Whether `value` names one of the nine msgtypes. */
export function is_msgtype(value: unknown): value is MsgType {
  return typeof value === "string" && known.has(value)
}

/**
 * Checks that received content has the members its msgtype promises, so the typed `Message`
 * the receiver hands out is truthful. Throws `ProtocolError` BK_ERR_PROTOCOL otherwise.
 */
export function check_content(msgtype: MsgType, content: JSONObject): void {
  const problem = content_problem(msgtype, content)
  if (problem !== null) throw new ProtocolError("BK_ERR_PROTOCOL", `${msgtype} content ${problem}: ${preview(content)}`)
}

function content_problem(msgtype: MsgType, content: JSONObject): string | null {
  switch (msgtype) {
    case "ERROR": {
      const { text, traceback } = content
      if (typeof text !== "string") return `needs a "text" string`
      return traceback === null || typeof traceback === "string" ? null : `needs a "traceback" string or null`
    }
    case "PULL-DOC-REPLY":
    case "PUSH-DOC":
      return is_object(content["doc"]) ? null : `needs a "doc" object`
    case "PATCH-DOC":
      return Array.isArray(content["events"]) ? null : `needs an "events" array`
    case "SERVER-INFO-REPLY": {
      const info = content["version_info"]
      return is_object(info) && typeof info["bokeh"] === "string" && typeof info["server"] === "string"
        ? null
        : `needs "version_info" with "bokeh" and "server" strings`
    }
    default:
      return null
  }
}

/** A non-null, non-array object. */
export function is_object(value: unknown): value is JSONObject {
  return typeof value === "object" && value !== null && !Array.isArray(value)
}
