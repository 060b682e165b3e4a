/**
 * Shared state: main.ts runs for each session, but state.ts is imported and so loads once per server:
 * a message typed in any browser tab bumps the one count.
 */
import { Div, TextInput, column, curdoc } from "bokeh-ts"

import { app_state } from "./state.ts"

const text_input = new TextInput({ name: "message", title: "Enter message:" })
const message_div = new Div({ name: "count", text: `Messages sent: ${app_state.message_count}` })
const last = new Div({ name: "last", text: "" })

text_input.on_change("value", (_attr, _old, value) => {
  app_state.message_count += 1
  message_div.text = `Messages sent: ${app_state.message_count}`
  last.text = `last message: <b>${String(value).replace(/[<&>]/g, "")}</b>`
})

curdoc().add_root(column(text_input, message_div, last))
curdoc().title = "Message counter"
