/**
 * The package as a user gets it: `npm pack`, the tarball installed into a fresh project that has no other
 * dependency, and there a plain .mjs script, a TypeScript app type-checked with `tsc --init` settings (no
 * skipLibCheck, no @types installed by hand), `npx bokeh-ts serve` of a .ts app (tsx removed from
 * node_modules: the package never needs it) and of a .js app (esbuild removed too, which a JavaScript app
 * must not need), each pulled by a raw websocket client. One build, one pack and one install are shared by
 * every case.
 *
 * The install is the test's largest cost (~20 s of CPU: npm unpacks ~10,000 files, most of them BokehJS's
 * dependencies), and all but bokeh-ts's own files depend only on its dependency declarations and the
 * lockfile npm's cache was filled from. So the last installed project is kept under node_modules/.cache/
 * (`install` below): a later run with the same dependencies copies it and has npm replace bokeh-ts alone;
 * a change to the dependencies, and every clean checkout (CI), installs afresh; BOKEH_TEST_PACK_FRESH=1
 * always does. The cases only add files to the project and move folders out of its node_modules, which
 * leaves the kept install's files as they were.
 */
import assert from "node:assert/strict"
import { spawn, spawnSync, type ChildProcess } from "node:child_process"
import { createHash } from "node:crypto"
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs"
import { createRequire } from "node:module"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { after, before, describe, it } from "node:test"
import { fileURLToPath } from "node:url"

import { model_named, RawClient } from "../unit/server/helpers.ts"

const root = fileURLToPath(new URL("../../", import.meta.url))
const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc")
const npm = process.platform === "win32" ? "npm.cmd" : "npm"

function run(command: string, args: readonly string[], cwd: string): string {
  // A line per step: the runner's watchdog takes a long silence for a stuck test (a loaded machine can
  // spend minutes in the build and the install).
  process.stdout.write(`# pack test: ${command} ${args.join(" ")}\n`)
  const result = spawnSync(command, args, { cwd, encoding: "utf8", maxBuffer: 64 * 1024 * 1024 })
  assert.equal(result.status, 0, `${command} ${args.join(" ")} failed in ${cwd}:\n${result.stdout}\n${result.stderr}`)
  return result.stdout
}

const APP_TS = `import { ColumnDataSource, Div, Slider, column, curdoc, figure } from "bokeh-ts"

const x = Array.from({ length: 50 }, (_, i) => i / 5)
const source = new ColumnDataSource({ data: { x, y: x.map(Math.sin) } })
const plot = figure({ height: 300, width: 400, title: "sine" })
plot.line({ x: "x", y: "y", source, line_width: 2 })
const amplitude = new Slider({ name: "amplitude", title: "amplitude", value: 1, start: 0, end: 5, step: 0.1 })
const label = new Div({ name: "label", text: "amplitude: 1" })
amplitude.on_change("value", (_attr, _old, value) => {
  const a = Number(value)
  source.data = { x, y: x.map((v: number) => a * Math.sin(v)) }
  label.text = \`amplitude: \${a}\`
})
curdoc().add_root(column(amplitude, label, plot))
curdoc().title = "packaged"
`

/** The same app without type annotations. */
const APP_JS = APP_TS.replace("(v: number)", "(v)")

const DOC_MJS = `import { Document, Slider, column, figure } from "bokeh-ts"
const doc = new Document()
const plot = figure({ title: "t" })
plot.line({ x: [1, 2, 3], y: [3, 1, 2] })
doc.add_root(column(new Slider({ name: "s", start: 0, end: 1, value: 0.5 }), plot))
process.stdout.write(JSON.stringify(doc.to_json()))
`

const INSTALLS = join(root, "node_modules", ".cache", "bokeh-ts-pack")

const sha256 = (...parts: Array<string | Buffer>): string => parts.reduce((hash, part) => hash.update(part), createHash("sha256")).digest("hex")

function npm_install(tarball: string, project: string): void {
  // The registry's packages come from npm's cache when `npm ci` put them there (CI does).
  run(npm, ["install", "--prefer-offline", "--no-audit", "--no-fund", tarball], project)
}

/** `npm install <tarball>` into a new project that has nothing else. */
function fresh_install(tarball: string, project: string): void {
  mkdirSync(project)
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "fresh-project", private: true, type: "module" }))
  npm_install(tarball, project)
}

/**
 * Installs `tarball` into an empty project at `project`. The project npm makes depends on the package's
 * dependency declarations, the registry packages npm's cache holds (those `npm ci` put there from the
 * lockfile) and npm itself, so the last install is kept by a hash of those: a run with the same ones starts
 * from a hard-linked copy of it (`cp -al`), and has npm replace only bokeh-ts, unless the tarball is the
 * kept one byte for byte.
 */
function install(tarball: string, project: string): void {
  if (process.env["BOKEH_TEST_PACK_FRESH"] === "1" || process.platform === "win32") return fresh_install(tarball, project)
  const manifest = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as Record<string, unknown>
  const declared = JSON.stringify([manifest["dependencies"], manifest["peerDependencies"], manifest["optionalDependencies"]])
  const npm_version = run(npm, ["--version"], root).trim()
  const kept = join(INSTALLS, sha256(declared, readFileSync(join(root, "package-lock.json")), process.version, npm_version).slice(0, 24))
  const kept_project = join(kept, "project")
  const kept_tarball = join(kept, "tarball.sha256")
  const tarball_hash = sha256(readFileSync(tarball))
  // Written last: a kept project without it was left half-copied.
  if (!existsSync(kept_tarball)) {
    fresh_install(tarball, project)
  } else {
    run("cp", ["-al", kept_project, project], root)
    if (readFileSync(kept_tarball, "utf8") === tarball_hash) return
    // npm writes some files in place, through the links: the kept install goes, and this one is kept instead.
    rmSync(INSTALLS, { recursive: true, force: true })
    npm_install(tarball, project)
  }
  // One kept install: this one.
  rmSync(INSTALLS, { recursive: true, force: true })
  mkdirSync(kept, { recursive: true })
  run("cp", ["-al", project, kept_project], root)
  writeFileSync(kept_tarball, tarball_hash)
}

/** `npx bokeh-ts serve <app>` in `cwd`; resolves with the server's base URL once it says where it runs. */
function serve(cwd: string, app: string): { child: ChildProcess; base: Promise<string> } {
  // Its own process group: npx runs the CLI in a child process, and both are stopped together.
  const child = spawn("npx", ["--no-install", "bokeh-ts", "serve", app, "--port", "0", "--address", "127.0.0.1"], {
    cwd,
    detached: true,
    stdio: ["ignore", "ignore", "pipe"],
  })
  let log = ""
  const base = new Promise<string>((resolve, reject) => {
    child.stderr!.on("data", (d: Buffer) => {
      log += d.toString()
      const m = /Bokeh app running at: (http:\/\/127\.0\.0\.1:\d+)\//.exec(log)
      if (m !== null) resolve(m[1]!)
    })
    child.once("exit", (code) => reject(new Error(`bokeh-ts serve ${app} exited (${code}):\n${log}`)))
  })
  return { child, base }
}

/** Moves packages out of the project's node_modules (if there) into `work`. */
function hide(project: string, work: string, names: readonly string[]): void {
  for (const name of names) {
    const path = join(project, "node_modules", name)
    if (existsSync(path)) renameSync(path, join(work, `hidden-${name.replace("@", "at-")}`))
  }
}

function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()))
  process.kill(-child.pid!, "SIGTERM")
  return exited
}

async function pull_app(base: string): Promise<unknown> {
  const client = await RawClient.connect(base, "/app")
  try {
    await client.ack()
    const reply = await client.request("PULL-DOC-REQ", {})
    assert.equal(reply.header.msgtype, "PULL-DOC-REPLY")
    return (reply.content as { doc: unknown }).doc
  } finally {
    client.close()
  }
}

describe("the npm package", { timeout: 600_000 }, () => {
  let work = ""
  let project = ""
  let files: string[] = []

  before(() => {
    work = mkdtempSync(join(tmpdir(), "bokeh-ts-pack-"))
    project = join(work, "project")
    // What `prepare` runs before `npm pack` packs; skipped when dist/ was built from these very sources
    // (as `npm ci` leaves it), since building it again would make the same files.
    run(npm, ["run", "build", "--", "--if-changed"], root)
    const packed = JSON.parse(run(npm, ["pack", "--ignore-scripts", "--json", "--pack-destination", work], root)) as Array<{
      filename: string
      files: Array<{ path: string }>
    }>
    files = packed[0]!.files.map((f) => f.path)
    install(join(work, packed[0]!.filename), project)
    assert.deepEqual(readdirSync(project).sort(), ["node_modules", "package-lock.json", "package.json"], "the project holds only the install")
  })

  after(() => {
    if (work !== "") rmSync(work, { recursive: true, force: true })
  })

  it("holds the build, the command, the license and no tests, benchmarks, fixtures or sources", () => {
    assert.ok(files.includes("dist/index.js") && files.includes("dist/index.d.ts") && files.includes("bin/bokeh-ts.mjs"), files.slice(0, 20).join("\n"))
    assert.ok(files.includes("dist/index.js.map"))
    assert.ok(files.includes("LICENSE"), "the license text package.json names ships with the package")
    const stray = files.filter((f) => !/^(dist|bin)\//.test(f) && !/^(package\.json|README\.md|LICENSE)$/.test(f))
    assert.deepEqual(stray, [])
    assert.deepEqual(
      files.filter((f) => /(^|\/)(test|tests|bench|fixtures|fuzz|examples)\/|\.test\.|\.ts$/.test(f) && !f.endsWith(".d.ts")),
      [],
    )
  })

  it("lets a plain .mjs script build and serialize a document", () => {
    writeFileSync(join(project, "doc.mjs"), DOC_MJS)
    const json = JSON.parse(run(process.execPath, ["doc.mjs"], project)) as { roots: unknown[] }
    assert.equal(json.roots.length, 1)
    model_named(json, "s")
  })

  it("type-checks a TypeScript app with tsc --init settings, without skipLibCheck", () => {
    writeFileSync(join(project, "app.ts"), APP_TS)
    run(process.execPath, [tsc, "--init"], project)
    const config = readFileSync(join(project, "tsconfig.json"), "utf8")
    assert.match(config, /"module": "nodenext"/)
    writeFileSync(join(project, "tsconfig.json"), config.replace(/\/\/\s*"skipLibCheck": true|"skipLibCheck": true/, '"skipLibCheck": false'))
    const result = spawnSync(process.execPath, [tsc, "--noEmit", "-p", "."], { cwd: project, encoding: "utf8" })
    assert.equal(result.stdout + result.stderr, "")
    assert.equal(result.status, 0)
  })

  it("serves a .ts app with npx bokeh-ts serve, without tsx", async () => {
    hide(project, work, ["tsx"])
    writeFileSync(join(project, "app.ts"), APP_TS)
    const server = serve(project, "app.ts")
    try {
      model_named(await pull_app(await server.base), "amplitude")
    } finally {
      await stop(server.child)
    }
  })

  it("serves a .js app with neither esbuild nor tsx installed", async () => {
    hide(project, work, ["esbuild", "@esbuild", "tsx"])
    writeFileSync(join(project, "app.js"), APP_JS)
    const server = serve(project, "app.js")
    try {
      model_named(await pull_app(await server.base), "amplitude")
    } finally {
      await stop(server.child)
    }
  })
})
