/**
 * WebSocket close codes used around the Bokeh protocol (docs/protocol.md §4.4), and which one a
 * server closes with after a receive error.
 */

import { BokehError, ProtocolError, ValidationError } from "../core/errors.ts"
import type { ErrorCode } from "../core/errors.ts"

export const CloseCodes = {
  /** Normal closure (clients closing, e.g. reason "closed"). */
  NORMAL: 1000,
  /** What BokehJS attempts on protocol problems (browsers refuse it from script). */
  PROTOCOL_ERROR: 1002,
  /** A fragment exceeded the maximum message size. */
  MESSAGE_TOO_BIG: 1009,
  /** Bokeh server: failed to parse or handle a message, or an unexpected message type. */
  SERVER_ERROR: 10000,
  /** Bokeh server: the receiver rejected a message (message/validation errors). */
  MESSAGE_ERROR: 10001,
} as const

export type CloseCode = (typeof CloseCodes)[keyof typeof CloseCodes]

// Python's server closes with 10000 where its receiver fails with a generic exception rather
// than a protocol/validation error: undecodable header JSON and unknown msgtypes.
const by_code: Partial<Record<ErrorCode, CloseCode>> = {
  BK_ERR_BAD_HEADER: CloseCodes.SERVER_ERROR,
  BK_ERR_UNKNOWN_MESSAGE_TYPE: CloseCodes.SERVER_ERROR,
  BK_ERR_MESSAGE_TOO_BIG: CloseCodes.MESSAGE_TOO_BIG,
}

/**
 * The close code a server sends after receiving a bad message raised `error`: 10001 for
 * protocol/validation errors, 10000 for bad headers, unknown msgtypes and anything unexpected,
 * 1009 for oversized messages. (Errors while *handling* a valid message are always 10000.)
 */
export function close_code_for(error: unknown): CloseCode {
  if (error instanceof BokehError) {
    const mapped = by_code[error.code]
    if (mapped !== undefined) return mapped
    if (error instanceof ProtocolError || error instanceof ValidationError) return CloseCodes.MESSAGE_ERROR
  }
  return CloseCodes.SERVER_ERROR
}
