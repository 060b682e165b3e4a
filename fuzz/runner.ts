/**
 * The protocol fuzzer's loop. A fuzzing peer sends generated cases to one session; beside it an
 * observer on the same session and a well-behaved client of another session only read. Oracles:
 * - no crash (the server process stays up; `alive`), no hang (every case is answered or the
 *   connection closed within `timeout_ms`);
 * - after every accepted message (OK to a PATCH-DOC or PUSH-DOC) the document still serializes (a
 *   PULL-DOC succeeds) and equals what the observer holds from the patches it was sent; a session
 *   whose PULL-DOC fails is *wedged*;
 * - the well-behaved session gets no patch and its document stays as it was;
 * - optionally, the server's memory after the run (sessions expired) against before.
 * The fuzzed session is replaced every `rotate_every` cases so documents stay small; old ones expire.
 */
import { Document } from "../src/document/document.ts"
import { generate_session_id } from "../src/util/token.ts"
import { Generator, targets_of, type Case } from "./generate.ts"
import { Peer, doc_text } from "./peer.ts"

export interface FuzzOptions {
  /** `ws://host:port/app/ws` */
  readonly url: string
  readonly seed: number
  /** Stop after this many cases… */
  readonly count: number
  /** …or after this many seconds. */
  readonly seconds: number
  readonly timeout_ms?: number
  readonly rotate_every?: number
  /** Check the well-behaved session every this many cases (and at the end). */
  readonly check_every?: number
  /** Run the session oracle after every case, not only accepted ones (slower; pins a failure to its case). */
  readonly check_every_case?: boolean
  /** Whether the server process is still up (a child process); in-process servers omit it. */
  readonly alive?: () => boolean
  /** Server memory after forced GC, bytes. */
  readonly memory?: () => Promise<{ rss: number; live: number }>
  /** Waits until sessions left behind have expired (before the final memory figure). */
  readonly settle?: () => Promise<void>
  readonly progress?: (report: FuzzReport) => void
}

export interface FuzzReport {
  seed: number
  cases: number
  /** Cases answered OK, ERROR, with another reply, or by closing the connection. */
  accepted: number
  rejected: number
  other_replies: number
  closed: number
  crashes: number
  hangs: number
  wedged: number
  /** Patches or changes the well-behaved session saw. */
  foreign_changes: number
  /** Descriptions of every oracle failure (with the case index, to replay with the seed). */
  failures: string[]
  seconds: number
  memory_before?: { rss: number; live: number }
  memory_after?: { rss: number; live: number }
}

const ANSWERED = new Set(["PATCH-DOC", "PUSH-DOC", "PULL-DOC-REQ", "SERVER-INFO-REQ"])

export async function run_fuzz(o: FuzzOptions): Promise<FuzzReport> {
  const timeout = o.timeout_ms ?? 10_000
  const rotate_every = o.rotate_every ?? 2_000
  const check_every = o.check_every ?? 1_000
  const gen = new Generator(o.seed)
  const report: FuzzReport = {
    seed: o.seed,
    cases: 0,
    accepted: 0,
    rejected: 0,
    other_replies: 0,
    closed: 0,
    crashes: 0,
    hangs: 0,
    wedged: 0,
    foreign_changes: 0,
    failures: [],
    seconds: 0,
  }
  let last = ""
  const fail = (what: string) => {
    if (report.failures.length < 100) report.failures.push(`case ${report.cases} (seed ${o.seed}): ${what}; the case: ${last}`)
  }
  const started = Date.now()
  if (o.memory !== undefined) report.memory_before = await o.memory()

  // The well-behaved session: it only reads, so it must never see a change.
  const well_id = generate_session_id()
  const well = await Peer.open(o.url, well_id, true)
  if (well === null) throw new Error(`cannot open a session at ${o.url}`)
  const well_doc = await well.pull(timeout)
  if (well_doc === null) throw new Error("the well-behaved session cannot pull its document")
  const well_text = doc_text(well_doc)
  gen.foreign = targets_of(well_doc.to_json())

  let session_id = ""
  let fuzzer: Peer | null = null
  let observer: Peer | null = null

  const open_session = async (): Promise<void> => {
    fuzzer?.close()
    observer?.close()
    session_id = generate_session_id()
    observer = await Peer.open(o.url, session_id, true)
    fuzzer = await Peer.open(o.url, session_id, false)
    if (observer === null || fuzzer === null) throw new Error("cannot open the fuzzed session")
    const doc = await observer.pull(timeout)
    if (doc === null) throw new Error("cannot pull the fuzzed session's document")
    gen.targets = targets_of(doc.to_json())
  }

  /** The oracle after an accepted message: the document serializes and the observer holds it. */
  const check_session = async (): Promise<void> => {
    if (observer === null || !observer.open) {
      fail(`the observer of the fuzzed session was closed (${observer?.close_code ?? "never opened"})`)
      await open_session()
      return
    }
    const before = observer.doc
    const o2 = await observer.request("PULL-DOC-REQ", timeout)
    if (!("reply" in o2) || o2.reply.header.msgtype !== "PULL-DOC-REPLY") {
      report.wedged += 1
      fail(
        `the fuzzed session is wedged: PULL-DOC got ${"reply" in o2 ? `${o2.reply.header.msgtype} ${JSON.stringify(o2.reply.content).slice(0, 300)}` : "closed" in o2 ? `close ${o2.closed}` : "no answer"}`,
      )
      await open_session()
      return
    }
    let fresh
    try {
      fresh = Document.from_json((o2.reply.content as { doc: unknown }).doc, o2.reply.buffers)
    } catch (error) {
      report.wedged += 1
      fail(`the fuzzed session's PULL-DOC-REPLY does not load: ${(error as Error).message}`)
      await open_session()
      return
    }
    if (observer.problem !== null) {
      fail(observer.problem)
      observer.problem = null
    }
    if (before !== null && doc_text(before) !== doc_text(fresh))
      fail(`what the observer holds differs from a fresh PULL-DOC: ${first_difference(JSON.parse(doc_text(before)), JSON.parse(doc_text(fresh)))}`)
    observer.doc = fresh
    gen.targets = targets_of(fresh.to_json())
  }

  const check_well = async (): Promise<void> => {
    if (!well.open) {
      report.foreign_changes += 1
      fail(`the well-behaved session's connection was closed (${well.close_code})`)
      return
    }
    const doc = await well.pull(timeout)
    if (doc === null || doc_text(doc) !== well_text || well.patches > 0 || well.problem !== null) {
      report.foreign_changes += 1
      fail(`the well-behaved session changed (${well.patches} patches${well.problem !== null ? `, ${well.problem}` : ""})`)
    }
  }

  await open_session()
  while (report.cases < o.count && Date.now() - started < o.seconds * 1000) {
    if (o.alive !== undefined && !o.alive()) {
      report.crashes += 1
      fail("the server process exited")
      break
    }
    if (report.cases > 0 && report.cases % rotate_every === 0) await open_session()
    if (report.cases > 0 && report.cases % check_every === 0) {
      await check_well()
      o.progress?.(report)
    }
    if (fuzzer === null || !(fuzzer as Peer).open) {
      fuzzer = await Peer.open(o.url, session_id, false)
      if (fuzzer === null) {
        report.hangs += 1
        fail("cannot reconnect to the fuzzed session")
        await open_session()
        continue
      }
    }
    const c: Case = gen.next()
    last = describe(c)
    report.cases += 1
    const f = fuzzer as Peer
    const msgid = f.send(c)
    const expects_reply = c.kind === "message" && ANSWERED.has(c.msgtype) && msgid !== null
    // Anything else is followed by a probe: its answer proves the case was dealt with.
    const waited = expects_reply ? msgid : f.send({ kind: "message", msgtype: "SERVER-INFO-REQ", content: {}, buffers: [] })
    const outcome = waited === null ? { closed: f.close_code ?? 1006 } : await f.outcome(waited, timeout)
    if ("timeout" in outcome) {
      report.hangs += 1
      fail(`no answer and no close within ${timeout} ms after ${describe(c)}`)
      f.close()
      continue
    }
    if ("closed" in outcome) report.closed += 1
    else if (!expects_reply) report.other_replies += 1
    else if (outcome.reply.header.msgtype === "ERROR") report.rejected += 1
    else if (outcome.reply.header.msgtype === "OK") report.accepted += 1
    else report.other_replies += 1
    const accepted = "reply" in outcome && expects_reply && outcome.reply.header.msgtype === "OK"
    if (accepted || o.check_every_case === true) await check_session()
  }
  await check_well()
  await check_session()
  ;(fuzzer as Peer | null)?.close()
  ;(observer as Peer | null)?.close()
  well.close()
  if (o.alive !== undefined && !o.alive()) {
    report.crashes += 1
    fail("the server process exited")
  }
  if (o.memory !== undefined) {
    await o.settle?.()
    report.memory_after = await o.memory()
  }
  report.seconds = (Date.now() - started) / 1000
  return report
}

function describe(c: Case): string {
  if (c.kind === "frames") return `raw frames ${JSON.stringify(c.frames.map((f) => (typeof f === "string" ? f.slice(0, 80) : `<${f.byteLength} bytes>`)))}`
  return `${c.msgtype} ${JSON.stringify(c.content)?.slice(0, 300)}`
}

/** Where two document JSONs first differ (a path and both values, cut short), for failure messages. */
function first_difference(a: unknown, b: unknown, path = "doc"): string {
  if (JSON.stringify(a) === JSON.stringify(b)) return ""
  if (a !== null && b !== null && typeof a === "object" && typeof b === "object") {
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = first_difference((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}.${k}`)
      if (d !== "") return d
    }
  }
  return `${path}: held ${JSON.stringify(a)?.slice(0, 200)}, pulled ${JSON.stringify(b)?.slice(0, 200)}`
}
