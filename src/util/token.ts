/**
 * Session ids and session tokens, byte-compatible with Python Bokeh's `bokeh.util.token`
 * (docs/protocol.md §2). A token is `b64url(JSON payload)`, plus `"." + b64url(HMAC-SHA256)` when
 * signed; extra request data rides zlib-compressed under `__bk__zlib_`.
 */

import { createHmac, randomBytes, timingSafeEqual } from "node:crypto"
import { deflateSync, inflateSync } from "node:zlib"

import { ConfigError, preview, TokenError, UsageError } from "../core/errors.ts"
import { b64url_decode, b64url_encode } from "./b64.ts"
import { python_json_dumps, python_json_string } from "./python_json.ts"
import { settings_secret_key, settings_sign_sessions } from "./token_settings.ts"

export { settings_secret_key, settings_sign_sessions } from "./token_settings.ts"

/** A signing secret: a string (used as UTF-8) or raw bytes. */
export type SecretKey = string | Uint8Array

/** Signing settings; each missing field falls back to the environment (`BOKEH_SECRET_KEY`, `BOKEH_SIGN_SESSIONS`). */
export interface SigningOptions {
  readonly secret_key?: SecretKey | null
  readonly signed?: boolean
}

export interface TokenOptions extends SigningOptions {
  /** Extra data for the session (headers, cookies, arguments, ...); `Uint8Array` values survive the trip. */
  readonly extra_payload?: Readonly<Record<string, unknown>> | null
  /** Lifetime in seconds, 300 by default (`--session-token-expiration`). */
  readonly expiration?: number
  /** Issue time in UNIX seconds; the current time by default. */
  readonly now?: number
}

/** A decoded token without its `session_id`: `session_expiry` plus the extra payload at top level. */
export interface TokenPayload {
  session_expiry?: number
  [key: string]: unknown
}

const ZLIB_KEY = "__bk__zlib_"
const ID_LENGTH = 44
const ID_CHARS = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
// Decompressed extra payloads come from the network; bound them so a tiny token cannot
// inflate into a huge allocation. Real ones (headers, cookies, arguments) are a few KB.
const MAX_EXTRA_BYTES = 8 * 1024 * 1024

/** A new random secret suitable for `BOKEH_SECRET_KEY` (what `bokeh secret` prints). */
export function generate_secret_key(): string {
  return random_string(ID_LENGTH)
}

/**
 * A new session id: 44 random `[a-zA-Z0-9]` characters from the OS CSPRNG, followed by
 * `"." + b64url(HMAC-SHA256(secret, id))` when signed.
 */
export function generate_session_id(options: SigningOptions = {}): string {
  const { signed, secret_key } = signing(options)
  const base = random_string(ID_LENGTH)
  return signed ? `${base}.${signature(base, required_key(secret_key))}` : base
}

/** A new session token for `session_id`, expiring `expiration` seconds from `now`. */
export function generate_jwt_token(session_id: string, options: TokenOptions = {}): string {
  const { signed, secret_key } = signing(options)
  const expiration = options.expiration ?? 300
  const now = options.now ?? Math.floor(Date.now() / 1000)
  if (!Number.isFinite(expiration) || !Number.isFinite(now))
    throw new UsageError("BK_ERR_MISUSE", `token expiration and issue time must be finite numbers of seconds, got ${expiration} and ${now}`)

  // Written by hand in Python's key order and separators, so our tokens read like Python's.
  let json = `{"session_id": ${python_json_string(session_id)}, "session_expiry": ${python_json_dumps(now + expiration)}`
  const extra = options.extra_payload
  if (extra != null && Object.keys(extra).length > 0) {
    if (Object.hasOwn(extra, "session_id"))
      throw new UsageError("BK_ERR_MISUSE", "a token's extra_payload may not contain 'session_id'; the session id is passed separately")
    const compressed = deflateSync(python_json_dumps(extra, { bytes_rule: true }), { level: 9 })
    json += `, "${ZLIB_KEY}": "${b64url_encode(compressed)}"`
  }
  json += "}"

  const token = b64url_encode(json)
  return signed ? `${token}.${signature(token, required_key(secret_key))}` : token
}

/** The `session_id` inside a token. Throws `TokenError` BK_ERR_BAD_TOKEN if the token is malformed. */
export function get_session_id(token: string): string {
  return decode_outer(token).session_id
}

/**
 * The token's payload without `session_id`: `session_expiry` and, if present, the inflated
 * extra payload merged in at top level (its `{"bytes": ...}` objects restored as `Uint8Array`).
 * Throws `TokenError` BK_ERR_BAD_TOKEN if the token is malformed.
 */
export function get_token_payload(token: string): TokenPayload {
  const { session_id: _, [ZLIB_KEY]: zlib_part, ...payload } = decode_outer(token)
  if (zlib_part === undefined) return payload
  if (typeof zlib_part !== "string") throw bad_token(`"${ZLIB_KEY}" is not a string`)
  let text: string
  try {
    text = utf8(inflateSync(b64url_decode(zlib_part), { maxOutputLength: MAX_EXTRA_BYTES }))
  } catch (error) {
    if (error instanceof TokenError) throw error
    throw bad_token(`the extra payload does not inflate: ${(error as Error).message}`, error)
  }
  const extra = parse_json(text, restore_bytes)
  if (!is_object(extra)) throw bad_token("the extra payload is not a JSON object")
  // Spread (not Object.assign) so a "__proto__" key stays an ordinary own property.
  return { ...payload, ...extra }
}

/**
 * Whether a token is authentic (docs/protocol.md §2.6). Unsigned mode accepts every token. Signed
 * mode needs `<payload>.<signature>` with a matching HMAC of the payload part, and a
 * `session_id` inside that carries a valid signature of its own. Compares in constant time.
 * Throws `ConfigError` BK_ERR_OPTION when signing without a secret key, and `TokenError`
 * BK_ERR_BAD_TOKEN only for a token whose HMAC verifies but whose payload is malformed.
 */
export function check_token_signature(token: string, options: SigningOptions = {}): boolean {
  const { signed, secret_key } = signing(options)
  if (!signed) return true
  const key = required_key(secret_key)
  const dot = token.indexOf(".")
  if (dot < 0) return false
  const base = token.slice(0, dot)
  // Only decode a payload once its HMAC has proven we minted it.
  if (!safe_equal(signature(base, key), token.slice(dot + 1))) return false
  return check_session_id_signature(get_session_id(token), { signed, secret_key: key })
}

/** Whether a session id carries a valid signature (always true in unsigned mode). Constant-time. */
export function check_session_id_signature(session_id: string, options: SigningOptions = {}): boolean {
  const { signed, secret_key } = signing(options)
  if (!signed) return true
  const key = required_key(secret_key)
  const dot = session_id.indexOf(".")
  if (dot < 0) return false
  return safe_equal(signature(session_id.slice(0, dot), key), session_id.slice(dot + 1))
}

function signing(options: SigningOptions): { signed: boolean; secret_key: SecretKey | undefined } {
  return {
    signed: options.signed ?? settings_sign_sessions(),
    secret_key: options.secret_key ?? settings_secret_key(),
  }
}

function required_key(secret_key: SecretKey | undefined): SecretKey {
  if (secret_key === undefined) throw new ConfigError("BK_ERR_OPTION", "signed sessions need a secret key: set BOKEH_SECRET_KEY or pass secret_key")
  return secret_key
}

function signature(message: string, secret_key: SecretKey): string {
  return b64url_encode(createHmac("sha256", secret_key).update(message, "utf8").digest())
}

function safe_equal(expected: string, given: string): boolean {
  const a = Buffer.from(expected, "utf8")
  const b = Buffer.from(given, "utf8")
  // Only the length can leak here, and every genuine signature has the same length.
  return a.length === b.length && timingSafeEqual(a, b)
}

// Uniform over ID_CHARS: bytes >= 248 (the largest multiple of 62 below 256) are discarded.
function random_string(length: number): string {
  let out = ""
  while (out.length < length) {
    for (const byte of randomBytes(length)) {
      if (byte < 248) out += ID_CHARS[byte % 62]
      if (out.length === length) break
    }
  }
  return out
}

function decode_outer(token: string): { session_id: string; [key: string]: unknown } {
  if (typeof token !== "string" || token === "") throw bad_token("the token is empty")
  const dot = token.indexOf(".")
  const decoded = parse_json(utf8(b64url_decode(dot < 0 ? token : token.slice(0, dot))))
  if (!is_object(decoded)) throw bad_token(`the payload is not a JSON object: ${preview(decoded)}`)
  if (typeof decoded["session_id"] !== "string") throw bad_token("the payload has no session_id string")
  return decoded as { session_id: string }
}

function parse_json(text: string, reviver?: (key: string, value: unknown) => unknown): unknown {
  try {
    return JSON.parse(text, reviver)
  } catch (error) {
    if (error instanceof TokenError) throw error
    throw bad_token(`the payload is not JSON: ${preview(text, 40)}`, error)
  }
}

// The bytes rule: an object whose only key is "bytes" stands for b64url-encoded bytes.
function restore_bytes(_key: string, value: unknown): unknown {
  if (!is_object(value)) return value
  const keys = Object.keys(value)
  if (keys.length !== 1 || keys[0] !== "bytes") return value
  const data = value["bytes"]
  if (typeof data !== "string") throw bad_token(`a {"bytes": ...} value is not a string: ${preview(data)}`)
  return b64url_decode(data)
}

const decoder = new TextDecoder("utf-8", { fatal: true })

function utf8(bytes: Uint8Array): string {
  try {
    return decoder.decode(bytes)
  } catch (error) {
    throw bad_token("the payload is not UTF-8", error)
  }
}

function is_object(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value) && !(value instanceof Uint8Array)
}

function bad_token(reason: string, cause?: unknown): TokenError {
  return new TokenError("BK_ERR_BAD_TOKEN", `malformed session token: ${reason}`, cause === undefined ? undefined : { cause })
}
