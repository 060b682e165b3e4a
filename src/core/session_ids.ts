/**
 * Deterministic model ids for one session: the n-th id is an HMAC-SHA256 of n keyed by the session id,
 * so every process building the app for that session mints the same ids in the same order, while
 * nobody can derive another session's ids without its session id (which is as secret as the session).
 */
import { createHmac } from "node:crypto"

import type { IdSource } from "./ids.ts"

export class SessionIdSource implements IdSource {
  private _counter = 0

  constructor(private readonly _session_id: string) {}

  /** How many ids were minted: stored with a session so a resumed one never reissues an id. */
  get counter(): number {
    return this._counter
  }

  /** Continues after `counter` (ids minted by the process that held the session before). */
  advance_to(counter: number): void {
    if (Number.isSafeInteger(counter) && counter > this._counter) this._counter = counter
  }

  next(): string {
    const digest = createHmac("sha256", this._session_id)
      .update(String(this._counter++))
      .digest()
    // 64 bits in base 36 (letters and digits: valid in any id, selector or attribute), after an "s".
    return `s${digest.readBigUInt64BE(0).toString(36)}`
  }
}
