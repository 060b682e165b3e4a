// Twin of data.py: a source with a column of every dtype and one of 2-D images. Setting the "op" input to
// "stream:k" or "patch:k" makes the server stream or patch them (data_ops.ts), then echo the op into "done".
import { Column, ColumnDataSource, Div, TextInput, curdoc } from "../../../src/index.ts"
import { apply, initial, initial_images } from "./data_ops.ts"

const doc = curdoc() // (the `dt=float` argument of data.py changes nothing here: datetimes are float64 ms already)
const cds = new ColumnDataSource({ name: "cds", data: initial() as ColumnDataSource["data"] })
const images = new ColumnDataSource({ name: "images", data: initial_images() as ColumnDataSource["data"] })
const op = new TextInput({ name: "op", value: "" })
const done = new Div({ name: "done", text: "" })

op.on_change("value", (_attr, _old, value) => {
  apply(doc, String(value))
  done.text = String(value)
})
doc.add_root(new Column({ children: [op, done], tags: [cds, images] }))
doc.title = "Data"
