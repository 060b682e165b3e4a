/** Paths where two JSON values differ (for readable assertion messages). */
export function json_diff(a: unknown, b: unknown, path = "$", out: string[] = [], max = 20): string[] {
  if (out.length >= max) return out
  if (typeof a !== typeof b || Array.isArray(a) !== Array.isArray(b) || (a === null) !== (b === null)) {
    out.push(`${path}: ${short(a)} ≠ ${short(b)}`)
  } else if (Array.isArray(a)) {
    const bb = b as unknown[]
    if (a.length !== bb.length) out.push(`${path}: length ${a.length} ≠ ${bb.length}`)
    for (let i = 0; i < Math.min(a.length, bb.length); i++) json_diff(a[i], bb[i], `${path}[${i}]`, out, max)
  } else if (typeof a === "object" && a !== null) {
    const ao = a as Record<string, unknown>,
      bo = b as Record<string, unknown>
    for (const k of new Set([...Object.keys(ao), ...Object.keys(bo)])) {
      if (!(k in ao)) out.push(`${path}.${k}: missing ≠ ${short(bo[k])}`)
      else if (!(k in bo)) out.push(`${path}.${k}: ${short(ao[k])} ≠ missing`)
      else json_diff(ao[k], bo[k], `${path}.${k}`, out, max)
    }
  } else if (!Object.is(a, b)) out.push(`${path}: ${short(a)} ≠ ${short(b)}`)
  return out
}

function short(v: unknown): string {
  const s = JSON.stringify(v) ?? String(v)
  return s.length > 120 ? `${s.slice(0, 119)}…` : s
}
