/**
 * Resuming a session from its stored state: the app has just built the document for this session id
 * (with the same deterministic ids as the process that wrote the state); the stored document is
 * applied over it, the id counter continues after the stored one, `session_context.app_state` is
 * filled in, and the app's `on_session_restored` hooks run.
 */
import { TaskGroup, await_app, with_app_context } from "../../core/app_context.ts"
import { with_id_source } from "../../core/ids.ts"
import type { SessionIdSource } from "../../core/session_ids.ts"
import type { Application } from "../../application/application.ts"
import type { Document } from "../../document/document.ts"
import { log } from "../../util/logging.ts"
import { repr } from "../../util/repr.ts"
import type { BokehSessionContext } from "../contexts.ts"
import type { SessionFaults } from "../faults.ts"
import { restore_document } from "./session_state.ts"
import type { SessionState } from "./types.ts"

/** Applies `state` to the freshly built `doc`; false (and the fresh document stays) if the state cannot be applied. */
export async function resume_from_state(
  application: Application,
  context: BokehSessionContext,
  doc: Document,
  ids: SessionIdSource,
  faults: SessionFaults,
  state: SessionState,
): Promise<boolean> {
  try {
    with_id_source(ids, () => restore_document(doc, state.doc, state.buffers))
  } catch (error) {
    log.error(
      `Session ${repr(context.id)}: its stored state does not fit the app (${error instanceof Error ? error.message : String(error)}); building it fresh`,
    )
    return false
  }
  ids.advance_to(state.id_counter)
  context.app_state = { ...state.app_state }
  const tasks = new TaskGroup()
  await with_id_source(ids, () =>
    with_app_context({ document: doc, faults, during: "restoring session", tasks, lock: null }, async () => {
      await await_app(
        () => "on_session_restored",
        () => application.on_session_restored(context),
      )
      await tasks.settle()
    }),
  )
  return true
}
