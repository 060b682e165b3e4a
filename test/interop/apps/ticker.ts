// Twin of ticker.py: a periodic callback on the server counts up in a div, every 20 ms.
import { Div, curdoc } from "../../../src/index.ts"

const tick = new Div({ name: "tick", text: "0" })
curdoc().add_periodic_callback(() => {
  tick.text = String(Number(tick.text) + 1)
}, 20)
curdoc().add_root(tick)
