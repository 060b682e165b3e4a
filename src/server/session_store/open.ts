/** Makes the server's session persistence from its options (`session_store`), or null without a store. */
import { DEFAULTS, type ServerOptions } from "../options.ts"
import { SessionPersistence } from "./persistence.ts"
import { RedisSessionStore } from "./redis_store.ts"

export function open_session_store(options: ServerOptions): SessionPersistence | null {
  const given = options.session_store
  if (given === undefined || given === null || given === "") return null
  const store = typeof given === "string" ? new RedisSessionStore(given) : given
  // A state must outlive both the token that can reconnect to it and the time a session waits unused.
  const ttl_ms = Math.max(
    (options.session_token_expiration ?? DEFAULTS.session_token_expiration) * 1000,
    options.unused_session_lifetime_milliseconds ?? DEFAULTS.unused_session_lifetime_milliseconds,
  )
  return new SessionPersistence(store, { ttl_ms, max_bytes: options.session_store_max_bytes ?? DEFAULTS.session_store_max_bytes })
}
