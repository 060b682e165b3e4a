/**
 * The session store on Redis (`--session-store redis://host:port/db`), through ioredis. One hash per
 * session, `bokeh-ts:session:<id>`: field `meta` holds the JSON (document, id counter, app state,
 * owner), field `owner` the writing process, and one binary field `b:<buffer id>` per numeric array
 * buffer, so arrays are stored as bytes, not base64. Each write replaces the hash and sets its expiry
 * in one MULTI.
 *
 * While Redis cannot be reached, commands fail at once (no offline queue: a session must never wait
 * for the store) and ioredis keeps reconnecting in the background; `healthy()` says which it is.
 * ioredis is loaded by `connect()`, so servers without a store never load it.
 */
import type { Redis } from "ioredis"

import { ConfigError } from "../../core/errors.ts"
import { log } from "../../util/logging.ts"
import type { SessionState, SessionStore } from "./types.ts"

const KEY_PREFIX = "bokeh-ts:session:"
const BUFFER_PREFIX = "b:"

export class RedisSessionStore implements SessionStore {
  private _client: Redis | null = null
  private _healthy = false
  private _closed = false
  private readonly _recovered: Array<() => void> = []
  /** Whether an outage was already logged (one line per outage, not one per retry). */
  private _outage_logged = false

  constructor(readonly url: string) {
    if (!/^rediss?:\/\//.test(url))
      throw new ConfigError("BK_ERR_OPTION", `--session-store must be a redis:// or rediss:// URL (redis://host:port/db), got ${JSON.stringify(url)}`)
    try {
      new URL(url)
    } catch {
      throw new ConfigError("BK_ERR_OPTION", `--session-store is not a valid URL: ${JSON.stringify(url)}`)
    }
  }

  /** Connects; resolves when connected or when the first attempt failed (reconnecting goes on). */
  async connect(): Promise<void> {
    if (this._client !== null || this._closed) return
    const { Redis } = await import("ioredis")
    // Closed (or connected by a concurrent call) while ioredis was loading: a client made now would
    // reconnect for ever after the server stopped, and keep the process alive.
    if (this._client !== null || this._closed) return
    const client = new Redis(this.url, {
      lazyConnect: true,
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      connectTimeout: 2000,
      // A store that answers slowly must not hold a session's creation (its load) for long either.
      commandTimeout: 2000,
      // Reconnect for ever, backing off to one attempt a second.
      retryStrategy: (times) => Math.min(50 * times, 1000),
    })
    this._client = client
    client.on("ready", () => {
      const was = this._healthy
      this._healthy = true
      if (this._outage_logged) log.info(`Session store ${this.url} is reachable again`)
      this._outage_logged = false
      if (!was) for (const listener of this._recovered) listener()
    })
    const down = (error?: unknown) => {
      this._healthy = false
      if (this._closed || this._outage_logged) return
      this._outage_logged = true
      log.error(
        `Session store ${this.url} is unreachable${error instanceof Error ? ` (${error.message})` : ""}; sessions go on in this process and are written again once it is back`,
      )
    }
    client.on("error", down)
    client.on("close", () => down())
    try {
      await client.connect()
    } catch {
      // Logged by the "error" listener; ioredis keeps retrying.
    }
  }

  healthy(): boolean {
    return this._healthy
  }

  on_recovered(listener: () => void): void {
    this._recovered.push(listener)
  }

  private get _connected(): Redis {
    if (this._client === null) throw new Error("the session store is not connected (call connect() first)")
    return this._client
  }

  async save(session_id: string, state: SessionState, ttl_ms: number): Promise<void> {
    const key = KEY_PREFIX + session_id
    const fields: Record<string, string | Buffer> = {
      meta: JSON.stringify({
        app: state.app,
        doc: state.doc,
        id_counter: state.id_counter,
        app_state: state.app_state,
        owner: state.owner,
        saved_at: state.saved_at,
      }),
      owner: state.owner,
    }
    for (const [id, data] of state.buffers) fields[BUFFER_PREFIX + id] = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
    const results = await this._connected
      .multi()
      .del(key)
      .hset(key, fields)
      .pexpire(key, Math.max(1, Math.ceil(ttl_ms)))
      .exec()
    if (results === null) throw new Error("the MULTI was aborted")
    const failed = results.find(([error]) => error !== null)
    if (failed !== undefined) throw failed[0]!
  }

  async load(session_id: string): Promise<SessionState | null> {
    const hash = await this._connected.hgetallBuffer(KEY_PREFIX + session_id)
    const meta = hash["meta"]
    if (meta === undefined) return null
    const parsed = JSON.parse(meta.toString("utf8")) as Record<string, unknown>
    const buffers = new Map<string, Uint8Array>()
    for (const [field, value] of Object.entries(hash)) {
      if (field.startsWith(BUFFER_PREFIX)) buffers.set(field.slice(BUFFER_PREFIX.length), new Uint8Array(value.buffer, value.byteOffset, value.byteLength))
    }
    return {
      app: String(parsed["app"]),
      doc: parsed["doc"],
      buffers,
      id_counter: Number(parsed["id_counter"] ?? 0),
      app_state: typeof parsed["app_state"] === "object" && parsed["app_state"] !== null ? (parsed["app_state"] as Record<string, unknown>) : {},
      owner: String(parsed["owner"] ?? ""),
      saved_at: Number(parsed["saved_at"] ?? 0),
    }
  }

  async owner(session_id: string): Promise<string | null> {
    return await this._connected.hget(KEY_PREFIX + session_id, "owner")
  }

  async delete(session_id: string): Promise<void> {
    await this._connected.del(KEY_PREFIX + session_id)
  }

  async close(): Promise<void> {
    this._closed = true
    this._healthy = false
    const client = this._client
    if (client === null) return
    try {
      await client.quit()
    } catch {
      client.disconnect()
    }
  }
}
