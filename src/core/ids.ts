/**
 * Model ids. Python numbers ids "p1000", "p1001", … per process, so two Python processes that share a
 * document collide; we prefix a short random tag per process so our client and our server (or two
 * workers) never mint the same id.
 *
 * Inside a server session the ids come from the session's own `IdSource` instead (installed with
 * `with_id_source` while the app builds the document and during its locked operations): they are
 * derived from the session id, so any process that builds the app for one session id gets the same
 * ids, which is what lets a session resume on another process (see src/server/session_store/).
 */
import { AsyncLocalStorage } from "node:async_hooks"
import { randomBytes } from "node:crypto"

const ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"
const tag = [...randomBytes(4)].map((b) => ALPHABET[b % ALPHABET.length]).join("")
let counter = 1000

/** Where `make_id` takes ids from in the current async context. */
export interface IdSource {
  next(): string
}

const sources = new AsyncLocalStorage<IdSource>()

export function make_id(): string {
  const source = sources.getStore()
  return source !== undefined ? source.next() : `${tag}${counter++}`
}

/** Runs `fn` (and everything it awaits or schedules) with model ids taken from `source`. */
export function with_id_source<T>(source: IdSource, fn: () => T): T {
  return sources.getStore() === source ? fn() : sources.run(source, fn)
}
