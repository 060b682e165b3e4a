/**
 * One subscribed session of the `stream` scenario: opens the stream app over raw ws, pulls its document,
 * then receives and validates every PATCH-DOC (bench/lib/stream_patch.ts), keeping counts of rows and
 * buffer bytes and failing when the stream stalls or skips ticks.
 */
import { ROWS_PER_TICK, SOURCE_NAME } from "../apps/stream.ts"
import { BokehClient, find_model } from "./bokeh_client.ts"
import { now_ms } from "./stats.ts"
import { check_stream_patch } from "./stream_patch.ts"
import { BenchFailure } from "./types.ts"
import type { AnyMessage } from "../../src/protocol/message.ts"
import type { ContentOf } from "../../src/protocol/msgtypes.ts"

export class StreamSession {
  rows = 0
  buffer_bytes = 0
  patches = 0
  private last_x: number | null = null
  private last_patch_at = 0

  private constructor(
    private readonly client: BokehClient,
    private readonly source_id: string,
    readonly label: string,
  ) {}

  /** Opens a session, pulls the document and finds the ColumnDataSource named "stream_source". */
  static async open(url: string, label: string): Promise<StreamSession> {
    const client = await BokehClient.open(url, label)
    // PATCH-DOCs that arrive before the reply are already in the pulled document: not counted.
    const { reply } = await client.reply(client.send("PULL-DOC-REQ", {}), "PULL-DOC-REPLY")
    const doc = (reply.content as ContentOf["PULL-DOC-REPLY"]).doc
    const source = find_model(doc?.["roots"], SOURCE_NAME)
    if (source === null || source.name !== "ColumnDataSource") {
      await client.close()
      throw new BenchFailure(`${label}: PULL-DOC-REPLY from ${url} has no ColumnDataSource named "${SOURCE_NAME}" (is the target the stream app?)`)
    }
    return new StreamSession(client, source.id, label)
  }

  /** Websocket payload bytes received so far, all message kinds. */
  get bytes_received(): number {
    return this.client.bytes_received
  }

  /**
   * Receives and validates patches until `until` (now_ms clock), or until `min_patches` more have
   * arrived when given. Fails when no patch arrives for `max_gap_ms`.
   */
  async receive(until: number, max_gap_ms: number, min_patches = Infinity): Promise<void> {
    const target = this.patches + min_patches
    // Silence is timed from now: time spent between calls is this client's, not the server's.
    this.last_patch_at = now_ms()
    while (this.patches < target) {
      const now = now_ms()
      if (now >= until) return
      const m = await this.client.poll(Math.min(until - now, this.last_patch_at + max_gap_ms - now), "a ColumnsStreamed PATCH-DOC")
      if (m === null) {
        const silent = now_ms() - this.last_patch_at
        if (silent >= max_gap_ms)
          throw new BenchFailure(
            `${this.label}: no ColumnsStreamed PATCH-DOC for ${Math.round(silent)} ms (limit ${max_gap_ms} ms): the stream stopped or its patches are missing`,
          )
        continue
      }
      this.take(m)
    }
  }

  /** Validates and counts the messages already received, so a measurement starts from an empty queue. */
  async drain(): Promise<void> {
    while (this.client.pending > 0) this.take((await this.client.poll(0, "a queued message"))!)
  }

  private take(m: AnyMessage): void {
    const r = check_stream_patch(m, this.source_id, ROWS_PER_TICK, this.label)
    if (this.last_x !== null && r.first_x !== this.last_x + 1) {
      const ticks = (r.first_x - this.last_x - 1) / ROWS_PER_TICK
      throw new BenchFailure(
        `${this.label}: x jumps from ${this.last_x} to ${r.first_x}: ${ticks > 0 ? `${ticks} tick(s) of rows missing` : "rows repeated or out of order"}`,
      )
    }
    this.last_x = r.last_x
    this.last_patch_at = now_ms()
    this.patches++
    this.rows += r.rows
    this.buffer_bytes += r.buffer_bytes
  }

  close(): Promise<void> {
    return this.client.close()
  }
}
