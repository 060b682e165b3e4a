/**
 * What `serve --dev` watches for an app: its script(s) and the local modules they import (the module
 * graph esbuild finds, packages and bokeh-ts itself left out), a directory app's lifecycle module,
 * templates/, static/ and theme file, and any extra paths given to --dev.
 *
 * Watching is per DIRECTORY (fs.watch without recursion on each folder holding a watched file, and on
 * every folder of a watched tree): an editor that saves by writing a new file and renaming it over the
 * old one (vim, sed -i, JetBrains' safe write) replaces the file's inode, which silences a watcher on the
 * file itself, while the folder's watcher sees the rename. Events are filtered by name, so editors' swap
 * and backup files and anything else in those folders do not count.
 */
import { existsSync, readdirSync, statSync, watch, type FSWatcher } from "node:fs"
import { basename, dirname, join, resolve, sep } from "node:path"

import type { Plugin } from "esbuild"

import { OWN_DIR } from "../core/package_paths.ts"
import { log } from "../util/logging.ts"

const MAIN_NAMES = ["main.ts", "main.js", "main.mts", "main.mjs"]
const LIFECYCLE_NAMES = ["server_lifecycle", "app_hooks"].flatMap((stem) => ["ts", "js", "mts", "mjs"].map((ext) => `${stem}.${ext}`))
const DIRECTORY_FILES = ["main.ipynb", "theme.yaml", "theme.json"]
const TREES = ["static", "templates"]
const bokeh_ts_src = OWN_DIR

export interface WatchTargets {
  /** Files whose change (or creation, or removal) means a reload. */
  readonly files: ReadonlySet<string>
  /** Folders in which a change to any file (editors' temporary files aside) means a reload. */
  readonly trees: readonly string[]
}

/** bokeh-ts's own sources are not the app's: leave them (like packages) out of the graph. */
const leave_out_bokeh_ts: Plugin = {
  name: "leave-out-bokeh-ts",
  setup(b) {
    b.onResolve({ filter: /^\.{0,2}\// }, (args) => {
      const path = resolve(args.resolveDir, args.path)
      return path.startsWith(bokeh_ts_src) ? { path, external: true } : undefined
    })
  },
}

/** The local modules `entries` import, transitively (the entries included); just `entries` if they do not compile. */
export async function module_graph(entries: readonly string[]): Promise<string[]> {
  if (entries.length === 0) return []
  try {
    // Only `serve --dev` needs esbuild here: loaded on first use.
    const { build } = await import("esbuild")
    const result = await build({
      entryPoints: [...entries],
      bundle: true,
      write: false,
      metafile: true,
      packages: "external",
      platform: "node",
      format: "esm",
      logLevel: "silent",
      plugins: [leave_out_bokeh_ts],
    })
    return Object.keys(result.metafile.inputs).map((p) => resolve(p))
  } catch {
    return [...entries]
  }
}

/** Everything to watch for the app at `app_path` and the extra `paths`. */
export async function watch_targets(app_path: string, paths: readonly string[]): Promise<WatchTargets> {
  const app = resolve(app_path)
  const files = new Set<string>()
  const trees: string[] = []
  let entries: string[] = []
  if (statSync(app).isDirectory()) {
    // Names that do not exist yet count too: creating theme.yaml or templates/ changes the app.
    for (const name of [...MAIN_NAMES, ...LIFECYCLE_NAMES, ...DIRECTORY_FILES]) files.add(join(app, name))
    for (const name of TREES) trees.push(join(app, name))
    entries = [...MAIN_NAMES, ...LIFECYCLE_NAMES].map((n) => join(app, n)).filter((p) => existsSync(p))
  } else {
    files.add(app)
    if (!app.endsWith(".ipynb")) entries = [app]
  }
  for (const file of await module_graph(entries)) files.add(file)
  for (const path of paths.map((p) => resolve(p))) {
    if (existsSync(path) && statSync(path).isDirectory()) trees.push(path)
    else files.add(path)
  }
  return { files, trees }
}

/** Names editors write beside the file they save (swap, backup, vim's write test) and hidden files. */
function is_editor_scratch(name: string): boolean {
  return name.startsWith(".") || name.endsWith("~") || /\.sw[a-p]$/.test(name) || /^\d+$/.test(name)
}

function folders_under(root: string): string[] {
  if (!existsSync(root) || !statSync(root).isDirectory()) return []
  const out = [root]
  for (const entry of readdirSync(root, { withFileTypes: true })) {
    if (entry.isDirectory() && entry.name !== "node_modules" && !entry.name.startsWith(".")) out.push(...folders_under(join(root, entry.name)))
  }
  return out
}

/** Whether a change to `path` matters for `targets`. */
export function is_relevant(targets: WatchTargets, path: string): boolean {
  if (targets.files.has(path)) return true
  if (is_editor_scratch(basename(path))) return false
  return targets.trees.some((tree) => path === tree || path.startsWith(tree + sep))
}

/**
 * Watches the folders of `targets`; `on_change(path)` gets every relevant change. Returns a function that
 * stops watching.
 */
export function watch_folders(targets: WatchTargets, on_change: (path: string) => void): () => void {
  const folders = new Set<string>()
  for (const file of targets.files) if (existsSync(dirname(file))) folders.add(dirname(file))
  for (const tree of targets.trees) {
    for (const folder of folders_under(tree)) folders.add(folder)
    // A tree that does not exist yet appears in its parent folder.
    if (existsSync(dirname(tree))) folders.add(dirname(tree))
  }
  const watchers: FSWatcher[] = []
  for (const folder of folders) {
    try {
      const watcher = watch(folder, (_event, name) => {
        const path = name === null ? folder : join(folder, name.toString())
        if (is_relevant(targets, path)) on_change(path)
      })
      watcher.on("error", (error) => log.warning(`stopped watching ${folder}: ${error.message}`))
      watchers.push(watcher)
    } catch (error) {
      log.warning(`cannot watch ${folder}: ${(error as Error).message}`)
    }
  }
  return () => {
    for (const w of watchers) w.close()
  }
}
