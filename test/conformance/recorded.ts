/**
 * The recorded Python bokeh.client traffic in test/fixtures/vectors: frames split into messages per
 * connection and direction, plus the HTTP upgrade heads and close frames of each connection.
 */
import { readFileSync } from "node:fs"

type Dir = "C->S" | "S->C"

interface FixtureFrame {
  readonly dir: Dir
  readonly conn?: number
  readonly text?: string
  readonly hex?: string
}

export interface Fixture {
  readonly frames: readonly FixtureFrame[]
  readonly handshakes: ReadonlyArray<{ conn: number; request: string[]; response: string[] }>
  readonly closes: ReadonlyArray<{ conn: number; dir: Dir; code: number; reason: string }>
}

export interface RecordedMessage {
  readonly conn: number
  readonly dir: Dir
  /** The message's text frames exactly as recorded (header, metadata, content, buffer headers). */
  readonly texts: readonly string[]
  readonly header: { msgid: string; msgtype: string; reqid?: string; num_buffers?: number }
  readonly content: Record<string, unknown>
  readonly buffers: Map<string, Uint8Array>
}

export function load_fixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`../fixtures/vectors/${name}`, import.meta.url), "utf8")) as Fixture
}

/** The messages of connection `conn` in direction `dir`, in recorded order. */
export function recorded_messages(fx: Fixture, conn: number, dir: Dir): RecordedMessage[] {
  const frames = fx.frames.filter((f) => (f.conn ?? 1) === conn && f.dir === dir)
  const out: RecordedMessage[] = []
  for (let k = 0; k < frames.length; ) {
    const texts = [frames[k]!.text!, frames[k + 1]!.text!, frames[k + 2]!.text!]
    k += 3
    const header = JSON.parse(texts[0]!) as RecordedMessage["header"]
    const buffers = new Map<string, Uint8Array>()
    for (let b = 0; b < (header.num_buffers ?? 0); b++) {
      const id = (JSON.parse(frames[k]!.text!) as { id: string }).id
      texts.push(frames[k]!.text!)
      buffers.set(id, new Uint8Array(Buffer.from(frames[k + 1]!.hex!, "hex")))
      k += 2
    }
    out.push({ conn, dir, texts, header, content: JSON.parse(texts[2]!) as Record<string, unknown>, buffers })
  }
  return out
}
