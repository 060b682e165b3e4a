/**
 * Signed cookie values in Tornado's version-2 format (`set_secure_cookie` / `get_secure_cookie`),
 * so a login page and `get_user` can trust a cookie, and a cookie signed by a Python Bokeh/Tornado
 * service with the same `--cookie-secret` reads the same here:
 *
 *     2|1:0|10:<unix time>|<len>:<name>|<len>:<base64 value>|<hex HMAC-SHA256 of everything before>
 */
import { createHmac, timingSafeEqual } from "node:crypto"

/** Tornado's default: cookies older than 31 days are refused. */
export const DEFAULT_MAX_AGE_DAYS = 31

const field = (s: string) => `${Buffer.byteLength(s, "utf8")}:${s}`

function sign(secret: string, text: string): string {
  return createHmac("sha256", secret).update(text, "utf8").digest("hex")
}

/** The signed form of `value` for cookie `name`. */
export function create_signed_value(secret: string, name: string, value: string, now_seconds = Math.floor(Date.now() / 1000)): string {
  const to_sign = ["2", field("0"), field(String(now_seconds)), field(name), field(Buffer.from(value, "utf8").toString("base64")), ""].join("|")
  return to_sign + sign(secret, to_sign)
}

/** Reads one `<len>:<text>|` field at `at`; returns the text and the index after the `|`. */
function read_field(s: string, at: number): [string, number] | null {
  const colon = s.indexOf(":", at)
  if (colon < 0) return null
  const length = Number(s.slice(at, colon))
  if (!Number.isInteger(length) || length < 0) return null
  // lengths count bytes; every field we accept is ASCII (digits, base64, cookie names)
  const text = s.slice(colon + 1, colon + 1 + length)
  if (s[colon + 1 + length] !== "|") return null
  return [text, colon + 2 + length]
}

/** The value of a signed cookie, or null if it is malformed, forged, for another name, or too old. */
export function decode_signed_value(
  secret: string,
  name: string,
  signed: string | undefined,
  max_age_days = DEFAULT_MAX_AGE_DAYS,
  now_seconds = Date.now() / 1000,
): string | null {
  if (signed === undefined || !signed.startsWith("2|")) return null
  let at = 2
  const fields: string[] = []
  for (let i = 0; i < 4; i++) {
    const got = read_field(signed, at)
    if (got === null) return null
    fields.push(got[0])
    at = got[1]
  }
  const [, timestamp, cookie_name, value] = fields as [string, string, string, string]
  const expected = Buffer.from(sign(secret, signed.slice(0, at)))
  const given = Buffer.from(signed.slice(at))
  if (given.length !== expected.length || !timingSafeEqual(given, expected)) return null
  if (cookie_name !== name) return null
  if (Number(timestamp) < now_seconds - max_age_days * 86400) return null
  return Buffer.from(value, "base64").toString("utf8")
}
