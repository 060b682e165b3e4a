/**
 * `Plot.title` accepts a string and stores a Title model, as BokehJS's `convert` option and Python do,
 * so the server owns the Title's id from the start (the browser would otherwise make its own).
 */
import { define_converter } from "../../core/has_props.ts"
import { Title } from "../annotations/title.ts"
import { Plot } from "../plots/plot.ts"

define_converter(Plot, "title", (value) => (typeof value === "string" ? new Title({ text: value }) : value))
