/** A small glob for `--glob` (Node 20 has no fs.glob): `*` and `?` within one path segment, `**` across segments. */
import { readdirSync, statSync } from "node:fs"
import { isAbsolute, join } from "node:path"

function segment_regex(segment: string): RegExp {
  const body = segment.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, "[^/]*").replace(/\?/g, "[^/]")
  return new RegExp(`^${body}$`)
}

/** The paths matching `pattern`, sorted. Hidden entries match only patterns that start with a dot. */
export function glob(pattern: string): string[] {
  const absolute = isAbsolute(pattern)
  const segments = pattern.split("/").filter((s, i) => s !== "" || i === 0)
  const results = new Set<string>()
  const walk = (base: string, i: number): void => {
    if (i === segments.length) {
      results.add(base)
      return
    }
    const seg = segments[i]!
    if (seg === "" && i === 0) return walk("/", 1)
    if (!/[*?]/.test(seg)) {
      const next = base === "" ? seg : join(base, seg)
      try {
        statSync(next)
      } catch {
        return
      }
      return walk(next, i + 1)
    }
    let entries: string[]
    try {
      entries = readdirSync(base === "" ? "." : base)
    } catch {
      return
    }
    if (seg === "**") {
      walk(base, i + 1)
      for (const e of entries) {
        const p = base === "" ? e : join(base, e)
        if (!e.startsWith(".") && statSync(p).isDirectory()) walk(p, i)
      }
      return
    }
    const re = segment_regex(seg)
    for (const e of entries) if (re.test(e) && (!e.startsWith(".") || seg.startsWith("."))) walk(base === "" ? e : join(base, e), i + 1)
  }
  walk(absolute ? "" : "", 0)
  return [...results].sort()
}
