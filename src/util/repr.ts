/**
 * Python's `repr()` of a string, for log lines that show values a peer chose (session ids, reasons):
 * quoted, with control characters, line separators and lone surrogates escaped, so a value can never
 * break a log line or forge one (Bokeh logs such values with `%r`).
 */
export function repr(value: string): string {
  const quote = value.includes("'") && !value.includes('"') ? '"' : "'"
  let out = quote
  for (let i = 0; i < value.length; i++) {
    const ch = value[i]!
    const c = value.charCodeAt(i)
    if (ch === "\\" || ch === quote) out += `\\${ch}`
    else if (ch === "\n") out += "\\n"
    else if (ch === "\r") out += "\\r"
    else if (ch === "\t") out += "\\t"
    else if (c < 0x20 || (c >= 0x7f && c < 0xa0)) out += `\\x${c.toString(16).padStart(2, "0")}`
    else if (c === 0x2028 || c === 0x2029 || c === 0xfeff) out += `\\u${c.toString(16)}`
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length && (value.charCodeAt(i + 1) & 0xfc00) === 0xdc00) out += ch + value[++i]!
    else if (c >= 0xd800 && c <= 0xdfff) out += `\\u${c.toString(16)}`
    else out += ch
  }
  return out + quote
}
