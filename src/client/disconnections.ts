/**
 * How the client reads each way a socket can end (Python's `bokeh.client.states.DISCONNECTED` reasons):
 * the `Disconnection` a connection then reports and the coded error its pending requests fail with.
 */

import { ClientError, ProtocolError, type BokehError } from "../core/errors.ts"
import { ErrorReason, type Disconnection } from "./states.ts"

/** A disconnection and the error that goes with it (null: closed without error). */
export interface Ending {
  readonly disconnection: Disconnection
  readonly error: BokehError | null
}

/** Closed by this client, or never connected. */
export function closed_by_client(why: string | null): Ending {
  return {
    disconnection: { reason: ErrorReason.NO_ERROR, code: null, detail: "" },
    error: why === null ? null : new ClientError("BK_ERR_CONNECTION_CLOSED", `the connection was closed by the client (${why})`),
  }
}

/** No socket could be opened, or it failed before the handshake finished: no server there. */
export function socket_invalid(message: string, cause?: unknown): Ending {
  return {
    disconnection: { reason: ErrorReason.NETWORK_ERROR, code: null, detail: "Socket invalid." },
    error: new ClientError("BK_ERR_CONNECTION_FAILED", message, cause === undefined ? undefined : { cause }),
  }
}

/** The server answered the upgrade with an HTTP error instead of switching protocols. */
export function http_refusal(url: string, status: number, message: string): Ending {
  const what = status === 404 ? "check the application path" : status === 403 ? "the server refused this origin or token" : "the server refused the upgrade"
  return {
    disconnection: { reason: ErrorReason.HTTP_ERROR, code: status, detail: message },
    error: new ClientError("BK_ERR_HTTP", `HTTP ${status} ${message} from ${url}: ${what}`),
  }
}

/** A message fragment from the server was larger than `max_message_size` (the socket closes with 1009). */
export function message_too_big(url: string, max_message_size: number): Ending {
  return {
    disconnection: { reason: ErrorReason.NETWORK_ERROR, code: 1009, detail: `a message from the server exceeded max_message_size (${max_message_size} bytes)` },
    error: new ProtocolError(
      "BK_ERR_MESSAGE_TOO_BIG",
      `a message fragment from ${url} exceeded max_message_size (${max_message_size} bytes); raise max_message_size`,
    ),
  }
}

/** An open socket failed (a reset, a protocol error of the websocket layer). */
export function socket_failed(url: string, error: Error): Ending {
  return {
    disconnection: { reason: ErrorReason.NETWORK_ERROR, code: null, detail: error.message },
    error: new ClientError("BK_ERR_CONNECTION_CLOSED", `the connection to ${url} failed: ${error.message}`, { cause: error }),
  }
}

/** The server sent something that is not the Bokeh protocol. */
export function protocol_violation(error: BokehError): Ending {
  return { disconnection: { reason: ErrorReason.NETWORK_ERROR, code: null, detail: error.message }, error }
}

/** The server closed an open socket, before or after its ACK. */
export function closed_by_server(code: number, reason: string, before_ack: boolean): Ending {
  const said = `close code ${code}${reason ? `, reason "${reason}"` : ""}`
  const message = before_ack
    ? `the server closed the connection before ACK (${said}); an expired or badly signed token, or a bad subprotocol, ends this way`
    : `the server closed the connection (${said})`
  // Python reports a socket closed by the server as HTTP_ERROR 500, whatever the close frame said.
  return {
    disconnection: { reason: ErrorReason.HTTP_ERROR, code: 500, detail: "Internal server error." },
    error: new ClientError("BK_ERR_CONNECTION_CLOSED", message),
  }
}
