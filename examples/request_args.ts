/** Request arguments: shows the query arguments of the request that opened the session (try ?N=10&name=Ada). */
import { Div, curdoc, type SessionContext } from "bokeh-ts"

const doc = curdoc()
const context = doc.session_context as SessionContext | null
const args = context?.request.arguments ?? {}
const decoded = Object.fromEntries(Object.entries(args).map(([k, vs]) => [k, vs.map((v) => v.toString("utf8"))]))
const escape = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")

const div = new Div({
  name: "args",
  text: `<h3>Request arguments</h3><pre>ARGS: ${escape(JSON.stringify(decoded))}</pre><p>Add a query string to the URL, e.g. <code>?N=10&amp;name=Ada</code>.</p>`,
})
doc.add_root(div)
doc.title = "Request arguments"
