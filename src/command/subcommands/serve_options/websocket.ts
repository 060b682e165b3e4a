/** Per-connection websocket limits: message size, outgoing budget, stall timeout, input queue, compression. (part of `bokeh-ts serve`'s option table, ../serve_options.ts) */
import { integer } from "../../option_table.ts"
import { option } from "./option.ts"

export const WEBSOCKET_OPTIONS = {
  "websocket-max-message-size": option({
    arity: "one",
    metavar: "B",
    help: "largest websocket message in bytes (default 20971520)",
    parse: integer(1),
    map: (b) => ({ server: { websocket_max_message_size: b } }),
  }),
  "websocket-max-buffered-bytes": option({
    arity: "one",
    metavar: "B",
    help: "outgoing bytes a websocket may hold before that client's updates are folded (newest value per attribute) instead of queued, and its messages wait (default 8388608; not in Python)",
    parse: integer(1),
    map: (b) => ({ server: { websocket_max_buffered_bytes: b } }),
  }),
  "websocket-stall-timeout": option({
    arity: "one",
    metavar: "MS",
    help: "close a websocket over that budget for this long (code 1013); BokehJS reconnects and pulls the document (default 30000, 0 = never; not in Python)",
    parse: integer(0),
    map: (ms) => ({ server: { websocket_stall_timeout_milliseconds: ms } }),
  }),
  "websocket-max-queued-messages": option({
    arity: "one",
    metavar: "N",
    help: "received messages waiting behind the one being handled before the socket is no longer read (default 8; not in Python)",
    parse: integer(1),
    map: (n) => ({ server: { websocket_max_queued_messages: n } }),
  }),
  "websocket-compression-level": option({
    arity: "one",
    metavar: "L",
    help: "permessage-deflate with zlib level L (0-9; default: off)",
    parse: integer(0, 9),
    map: (level) => ({ server: { websocket_compression_level: level } }),
  }),
  "websocket-compression-mem-level": option({
    arity: "one",
    metavar: "M",
    help: "zlib memLevel (1-9) with --websocket-compression-level",
    parse: integer(1, 9),
    map: (level) => ({ server: { websocket_compression_mem_level: level } }),
  }),
}
