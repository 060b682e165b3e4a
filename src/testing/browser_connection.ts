/**
 * A test's "browser": our protocol client connected to the server core through the core's in-process
 * websocket, recording every message it receives before it applies it.
 */
import { ClientSession } from "../client/session.ts"
import type { OpenOptions } from "../client/websocket.ts"
import type { BokehServerCore } from "../server/core.ts"
import { connect_in_process } from "../server/in_process.ts"
import { quote_plus } from "../util/url.ts"
import { BrowserRecord } from "./browser_record.ts"
import { TestBrowser, type StepRunner } from "./test_browser.ts"

/** What the browser's request carries (AppTestOptions' request options). */
export interface BrowserRequest {
  readonly arguments?: Readonly<Record<string, string | readonly string[]>>
  readonly headers?: Readonly<Record<string, string>>
  readonly cookies?: Readonly<Record<string, string>>
}

/** A browser on session `session_id` (a new session when null) of the app at `route`; not connected yet. */
export function new_test_browser(runner: StepRunner, core: BokehServerCore, route: string, request: BrowserRequest, session_id: string | null): TestBrowser {
  const headers: Record<string, string> = { ...request.headers }
  const cookies = Object.entries(request.cookies ?? {})
  if (cookies.length > 0) headers["Cookie"] = cookies.map(([k, v]) => `${k}=${v}`).join("; ")
  const record = new BrowserRecord()
  const client = new ClientSession({
    session_id,
    websocket_url: `ws://localhost${route}/ws${query_string(request.arguments ?? {})}`,
    headers,
    open_socket: (o: OpenOptions) => {
      const socket = connect_in_process(core, { url: o.url, protocols: ["bokeh", o.token], headers: o.headers ?? {} })
      // Registered before the client's own listener: the record holds each message before the client applies it.
      socket.on("message", (data: Buffer, is_binary: boolean) => record.consume(data, is_binary))
      return socket
    },
  })
  return new TestBrowser(runner, client, record)
}

function query_string(args: Readonly<Record<string, string | readonly string[]>>): string {
  const parts = Object.entries(args).flatMap(([k, v]) => (typeof v === "string" ? [v] : v).map((x) => `${quote_plus(k)}=${quote_plus(x)}`))
  return parts.length === 0 ? "" : `?${parts.join("&")}`
}
