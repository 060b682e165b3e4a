import { load_bokehjs } from "./bokehjs/load.ts"
const B = await load_bokehjs()
const C = B.Models.get("ColumnDataSource").prototype._props
console.log(String(C.data.type), C.data.default_value.toString())
const M = B.Model.prototype._props
for (const k of Object.keys(M)) console.log(k, String(M[k].type), M[k].options)
console.log(B.Model.__module__, B.Models.get("Slider").__module__, B.Models.get("Slider").__qualified__, B.Models.get("bokeh.models.dom.Div").__qualified__)
process.exit(0)
