/**
 * What the server does with each message a client sends: PULL-DOC, PUSH-DOC and
 * PATCH-DOC under the document lock, SERVER-INFO without it; server-bound replies are errors.
 */
import { error_repr } from "../core/app_context.ts"
import { BokehError, CallbackError, ProtocolError } from "../core/errors.ts"
import { BOKEHJS_VERSION } from "../core/version.ts"
import { create_message, type AnyMessage, type Message } from "../protocol/message.ts"
import type { ServerConnection } from "./connection.ts"
import { log } from "../util/logging.ts"
import { burst_work } from "./fair_share.ts"

/** Handles one complete message from `connection`; throws for messages a server never expects. */
export async function handle_message(connection: ServerConnection, message: AnyMessage): Promise<void> {
  const session = connection.session
  const reqid = message.header.msgid
  switch (message.header.msgtype) {
    case "PULL-DOC-REQ": {
      await burst_work.turn()
      // Written while holding the lock: no patch can slip in between. Numeric arrays go as binary
      // buffers to every peer (BokehJS, Python >= 3.9 and our client all read them; lists would be
      // about 2.4 times bigger and overflow Python's default 20 MiB message limit sooner).
      await session.with_document_locked((doc) => {
        const { doc: json, buffers } = doc.to_json_with_buffers("buffers")
        connection.send_message(create_message("PULL-DOC-REPLY", { doc: json as unknown as Record<string, unknown> }, { reqid, buffers }))
      })
      return
    }
    case "PUSH-DOC": {
      const { content, buffers } = message as Message<"PUSH-DOC">
      await reply_or_error(connection, message, () =>
        session.with_document_locked((doc) => {
          doc.replace_with_json(content.doc, buffers)
          // replace_with_json marks the loaded models as known to the peers, which is right for a
          // client loading a pulled doc, but here only the pusher has them: the RootAdded patches
          // (serialized once, for every connection of the session) must carry the full reps, or the
          // other connections get refs to models they never saw (Python: "can't resolve reference").
          doc.model_manager.forget_known()
        }, "handling message PUSH-DOC"),
      )
      return
    }
    case "PATCH-DOC": {
      const { content, buffers } = message as Message<"PATCH-DOC">
      await reply_or_error(connection, message, () =>
        session.with_document_locked(
          (doc) => doc.apply_json_patch(content, buffers, connection, { sender_is_only_peer: session.connection_count <= 1 }),
          "handling message PATCH-DOC",
        ),
      )
      return
    }
    case "SERVER-INFO-REQ":
      connection.send_message(create_message("SERVER-INFO-REPLY", { version_info: { bokeh: BOKEHJS_VERSION, server: BOKEHJS_VERSION } }, { reqid }))
      return
    default:
      throw new ProtocolError("BK_ERR_PROTOCOL", `${message.header.msgtype} not expected on server`)
  }
}

/**
 * Runs `fn` and answers OK, or ERROR as Python does: a failing app callback (already logged with its
 * session when it failed) is answered with its error; anything else is logged here as Python's
 * "error handling message" line.
 */
async function reply_or_error(connection: ServerConnection, message: AnyMessage, fn: () => Promise<unknown>): Promise<void> {
  const reqid = message.header.msgid
  try {
    await fn()
  } catch (error) {
    if (error instanceof CallbackError) {
      connection.send_message(create_message("ERROR", error_content(error.failures[0]), { reqid }))
      return
    }
    const where = `error handling message ${message.header.msgtype} in session '${connection.session.id}'`
    // Bad input is the peer's fault, and its stack only shows our decoder: the coded message says it all.
    if (error instanceof BokehError) log.error(`${where}: ${error_repr(error)} [${error.code}]`)
    else log.error(`${where}: ${error_repr(error)}`, error)
    connection.send_message(create_message("ERROR", error_content(error), { reqid }))
    return
  }
  connection.send_message(create_message("OK", {}, { reqid }))
}

function error_content(error: unknown): { text: string; traceback: string | null } {
  if (error instanceof Error) {
    const code = error instanceof BokehError ? ` [${error.code}]` : ""
    return { text: `${error.name}(${JSON.stringify(error.message)})${code}`, traceback: error.stack ?? null }
  }
  return { text: String(error), traceback: null }
}
