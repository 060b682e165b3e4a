/**
 * `serve --glob`: app arguments as glob patterns, as Python's `glob.glob` expands them (files and
 * directories alike, hidden entries only for patterns that name them, results in the pattern's form:
 * absolute for an absolute pattern). `*`, `?`, `[abc]`, `{a,b}` and `**` come from tinyglobby.
 */
import { basename, isAbsolute } from "node:path"
import { globSync } from "tinyglobby"

/** The paths matching `pattern`, sorted. */
export function glob(pattern: string): string[] {
  const found = globSync(pattern, { onlyFiles: false, expandDirectories: false, absolute: isAbsolute(pattern), dot: false })
  // Directories come back with a trailing slash; an app's path never needs one.
  const paths = found.map((p) => (p.length > 1 && p.endsWith("/") ? p.slice(0, -1) : p))
  // picomatch lets a leading `[!a]` match a dot; Python's glob keeps hidden names for patterns that start with one.
  const hidden_ok = basename(pattern).startsWith(".")
  return paths.filter((p) => hidden_ok || !basename(p).startsWith(".")).sort()
}
