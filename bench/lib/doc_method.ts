/**
 * The Method section of docs/benchmarks.md (what each scenario does, and how to compare servers with
 * --target, including the Python twins of the bench apps), kept apart from the report code.
 */
export const METHOD = `## Method

- One command runs every scenario side by side: \`npm run bench\` (≈2–3 min on 2 cores).
  One scenario: \`npm run bench -- --scenario NAME [--target URL]… [--concurrency N] [--seconds S]\`.
- \`serialize_1m\`: a Document whose only root is a ColumnDataSource of two 1,000,000-point Float64Array
  columns; \`doc.to_json_with_buffers("buffers")\` then \`Document.from_json(json, buffers)\`, 12 times, p50 of the last 10.
- \`doc_40_models\`: a figure with a line, a Slider and a column (≈40 models) serialized and deserialized 10,000 times; mean.
- \`ceiling\`: a bare \`ws\` echo server in a child process (TCP_NODELAY on, no compression): one small text frame
  round trip at c=1 (p50/p99) and msgs/s with 16 connections each ping-ponging.
- \`sessions\`: raw \`ws\` client, subprotocols \`["bokeh", <JWT from generate_jwt_token>]\`: open → ACK (must be first)
  → PULL-DOC-REQ → PULL-DOC-REPLY (must hold a Slider named "amplitude") → close; c=1, 16, 64 workers in closed loop.
- \`roundtrip\`: per worker one open session; PATCH-DOC \`ModelChanged(amplitude.value = v)\` → the server's
  \`on_change\` recomputes the 200-point line and sets \`label.text = "amplitude: v"\` → that PATCH-DOC must arrive
  before the OK; c=1 (p50/p99) and c=16 (events/s).
- \`stream\`: 10 raw \`ws\` sessions of the stream app (bench/apps/stream.ts) each pull the document, then receive
  what the app's periodic callback streams: every 50 ms, 1,000 rows of Float64 \`x\`, \`y\` (\`source.stream(…,
  rollover=10000)\`). Every PATCH-DOC must hold only ColumnsStreamed events on the ColumnDataSource named
  \`stream_source\`, with both columns as binary float64 buffers (an \`ndarray\` rep whose bytes are a \`{"id"}\` ref to a
  binary fragment, not a list or inline base64) of exactly 1,000 rows, and \`x\` must continue where the session's last
  patch ended (no tick dropped or repeated); silence over 2 s (40 ticks) fails. Two patches per session are
  validated before timing; then rows and websocket payload bytes received are counted for \`--seconds\`. Reported:
  rows/s and MB/s (10⁶ bytes) in total and per session, rows received as a share of the nominal 20,000 rows/s per
  session, and the share of the bytes that were binary buffers. \`--concurrency N\` changes the session count.
- \`startup\`: \`serve app.ts\` of a small sliders-like app (a figure with a 200-point line, a Slider, a Div) spawned
  6 times per server, each time until GET \`/app\` (polled every 5 ms) first answers 200: our built package
  (\`node dist/command/main.js\`, what \`npx bokeh-ts\` runs once installed; \`npm run build\` first if dist/ is missing),
  this checkout's sources (\`bin/bokeh-ts.mjs\` through tsx) and, when a Python with Bokeh is found, Python's
  \`python -m bokeh serve\` on the twin app.py. Ours start with an empty compile cache, reported apart ("first run");
  p50 and min are of the warm runs after it.
- \`slow_consumer\`: the firehose app (bench/apps/firehose.ts) streams 9,375 rows of Float64 \`x\`, \`y\` every 50 ms
  (3 MB/s per session, rollover 200,000 rows). One raw client pulls its document, then stops reading its socket
  (\`ws.pause()\`, as a suspended laptop keeps its TCP connection) for 60 s (\`BENCH_SLOW_SECONDS\`), while a reader
  of another firehose session and 4 sliders sessions doing round trips keep working. Every 10 s the server reports
  its RSS and live memory (V8 heap used + external Buffers) after forced GCs and the outgoing-buffer statistics
  of its connections. Reported: RSS and live-memory growth over the pause and over its second half (flat means
  no growth with time), the most bytes the slow connection held unsent, the events it folded, the others' round
  trip p50/p99 before vs during the pause and the reader's patches/s. Then the slow client reads again: it must
  either catch up and hold exactly the document a PULL-DOC on its connection returns, or, if the server closed it
  (1013 after the 30 s stall timeout), reconnect to the same session and pull a document whose \`x\` counts up by
  one and \`y = sin(x)\` throughout; otherwise the run fails.
- \`scale\`: a real nginx (\`/usr/sbin/nginx\`, or \`NGINX=...\`) started by the bench on a free port with
  docs/deploy.md's configuration (bench/lib/nginx.ts: \`least_conn\`, websocket upgrade, 64 KiB header buffers,
  \`proxy_next_upstream\` on errors and 503) in front of 1 and then 3 backend processes (bench/servers/bokeh_server.ts
  with \`--health --metrics\` on). With 1 backend, sessions/s and round trip p50 are first measured directly (no
  proxy) in the same run, and the sliders document's size is read from the backend's \`/metrics\` (PULL-DOC-REPLY
  bytes per reply). Then through nginx: sessions/s (the \`sessions\` loop) at c=16, round trip p50/p99 at c=1 and
  c=16 (the \`roundtrip\` loop). With 3 backends, 3 trials each of SIGKILL and SIGTERM (drain): a client opens a
  session through nginx, the backend holding it (found by its \`bokeh_connections_open\`) gets the signal, and the
  time runs until the client, reconnecting at once with the same token as BokehJS does, has ACK and PULL-DOC-REPLY
  through nginx again; the backend is then restarted on its port. Without a session store that session is fresh.
- \`page_load\`: headless Chromium (/usr/bin/chromium through playwright-core) with the DevTools protocol's network
  emulation (\`Network.emulateNetworkConditions\`: 20 Mbit/s down and up, 40 ms latency) loads the sliders app page
  in a fresh browser context (cold: empty cache), then again in the same context (warm), \`BENCH_PAGE_LOADS\` times
  (default 5) after one load that is not counted (our server compresses each bundle on its first request). Timed
  in the page from navigation start (a probe polls every ~4 ms): the first plot drawn (the Plot's view has
  finished rendering), then the page sets \`amplitude.value = 2\` and waits for the server's patch to show
  "amplitude: 2" in the label's DOM (the first server round trip). Counted through DevTools: bytes of the HTTP
  requests that reached the network (\`encodedDataLength\`: headers plus the body as compressed on the wire; the
  websocket is not counted), those requests, and how many were for BokehJS bundles (target for warm: 0). p50 of
  the times; \`--target http://host:port/sliders\` runs it against another server, e.g. Python's
  \`bokeh serve bench/apps/python/sliders.py\`.
- The server under test (bench/apps/sliders.ts and bench/apps/stream.ts, served by bench/servers/bokeh_server.ts)
  and the echo server run in child processes, so client and server each get a core. Any ERROR, wrong reply, missing
  derived value or patch, early close or 10 s timeout fails the run with a message naming the scenario, the URL and
  what was expected.

### Against other servers, side by side (\`--target\`)

\`--target\` may be given several times; each value is \`self\` (our bokeh-ts server in a child process, the default
when no \`--target\` is given) or \`http://host:port/app\`, the URL of the sliders-like app on another server (the \`/ws\`
suffix is added). \`sessions\`, \`roundtrip\`, \`stream\` and \`client\` run once per target, target after target, and the
table gets a \`server\` column plus a side-by-side table (one value column per server; with two servers, their
ratio). \`memory\` and \`storm\` read our server's metrics over IPC, so they run only against \`self\`; \`serialize_1m\`,
\`doc_40_models\` and \`ceiling\` have no server under test and run once. For example, ours against Python Bokeh:

\`\`\`
bokeh serve sliders.py stream.py --port 5006
npm run bench -- --scenario sessions --scenario roundtrip --scenario stream --target self --target http://localhost:5006/sliders
\`\`\`

The apps there must be twins of ours. The sliders-like one, at the target URL: a Slider named \`amplitude\` and a Div
named \`label\` whose text becomes \`f"amplitude: {new}"\` when amplitude changes. The stream one, at the sibling path
\`stream\` (\`http://host:port/sliders\` → \`http://host:port/stream\`): a ColumnDataSource named \`stream_source\` whose
tick k streams \`x = k·1000 … k·1000+999\` and \`y = sin(x)\` as float64 every 50 ms. For Python Bokeh, \`sliders.py\` (also in bench/apps/python/):

\`\`\`python
import numpy as np
from bokeh.io import curdoc
from bokeh.layouts import column, row
from bokeh.models import ColumnDataSource, Div, Slider
from bokeh.plotting import figure

x = np.linspace(0, 4 * np.pi, 200)
source = ColumnDataSource(data=dict(x=x, y=np.sin(x)))
plot = figure(height=400, width=400, title="my sine wave", tools="crosshair,pan,reset,save,wheel_zoom",
              x_range=[0, 4 * np.pi], y_range=[-2.5, 2.5])
plot.line("x", "y", source=source, line_width=3, line_alpha=0.6)
amplitude = Slider(name="amplitude", title="amplitude", value=1, start=-5, end=5, step=0.1)
frequency = Slider(name="frequency", title="frequency", value=1, start=0.1, end=5.1, step=0.1)
phase = Slider(name="phase", title="phase", value=0, start=0, end=2 * np.pi)
offset = Slider(name="offset", title="offset", value=0, start=-5, end=5, step=0.1)
label = Div(name="label", text="amplitude: 1")

def update(attr, old, new):
    a, f, p, o = amplitude.value, frequency.value, phase.value, offset.value
    source.data = dict(x=x, y=a * np.sin(f * x + p) + o)

for s in (amplitude, frequency, phase, offset):
    s.on_change("value", update)
amplitude.on_change("value", lambda attr, old, new: setattr(label, "text", f"amplitude: {new}"))
curdoc().add_root(row(column(amplitude, frequency, phase, offset, label), plot))
curdoc().title = "Sliders"
\`\`\`

(The client sends integer values, so Python's and JavaScript's number formatting agree.) And \`stream.py\`:

\`\`\`python
import numpy as np
from bokeh.io import curdoc
from bokeh.models import ColumnDataSource
from bokeh.plotting import figure

ROWS, PERIOD_MS, ROLLOVER = 1000, 50, 10_000
source = ColumnDataSource(name="stream_source", data=dict(x=np.zeros(0), y=np.zeros(0)))
plot = figure(height=300, width=600, title="stream")
plot.line("x", "y", source=source)
tick = 0

def stream():
    global tick
    x = np.arange(tick * ROWS, (tick + 1) * ROWS, dtype=np.float64)
    source.stream(dict(x=x, y=np.sin(x)), rollover=ROLLOVER)
    tick += 1

curdoc().add_periodic_callback(stream, PERIOD_MS)
curdoc().add_root(plot)
curdoc().title = "Stream"
\`\`\``
