/**
 * What a `ClientConnection` is given: its options, and the owner it reports to (`ClientSession`).
 */

import type { Document } from "../document/document.ts"
import type { Message } from "../protocol/message.ts"
import type { ContentOf } from "../protocol/msgtypes.ts"
import type { SocketOpener } from "./websocket.ts"

/** 20 MiB, the default of Python's client and server. */
export const DEFAULT_MAX_MESSAGE_SIZE = 20 * 1024 * 1024

/** What `request_server_info()` returns: the SERVER-INFO-REPLY content. */
export type ServerInfo = ContentOf["SERVER-INFO-REPLY"]

/** What a connection needs from the session that owns it (`ClientSession` implements it). */
export interface ClientConnectionOwner {
  /** A fresh token for the opening handshake. */
  readonly token: string
  /** Applies a PATCH-DOC from the server; called in arrival order, never concurrently. */
  _handle_patch(message: Message<"PATCH-DOC">): Promise<void>
  /** Called once `document` mirrors the server's, before any later message is processed. */
  _attach_document(document: Document): void
  /** Called once, when the connection becomes `DISCONNECTED`. */
  _notify_disconnected(): void
}

export interface ClientConnectionOptions {
  /** The WebSocket URL, for example `ws://localhost:5006/myapp/ws`. */
  readonly websocket_url: string
  /**
   * Appended to the URL as `?k=v&...` (`quote_plus`-encoded). The server shows them to the app as
   * `session_context.request.arguments` when this connection creates the session.
   */
  readonly arguments?: Readonly<Record<string, string>> | null
  /** Largest fragment accepted from the server, in bytes (20 MiB by default). */
  readonly max_message_size?: number
  /** bokeh-ts extension: extra headers for the upgrade request (`Origin`, `Cookie`, `Authorization`). */
  readonly headers?: Readonly<Record<string, string>>
  /** bokeh-ts extension: opens the socket instead of `ws` (e.g. `connect_in_process`, for tests without TCP). */
  readonly open_socket?: SocketOpener
}
