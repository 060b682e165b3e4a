/**
 * The table of Python-precise properties (scripts/python_precise.ts) records Python's type for each entry;
 * this checks those against the installed Python Bokeh, and that Python refuses what our kinds refuse
 * and accepts what they accept for a few values, so the table can't drift from Python silently.
 */
import assert from "node:assert/strict"
import { execFile } from "node:child_process"
import { describe, it } from "node:test"
import { promisify } from "node:util"

import { PYTHON_PRECISE } from "../../scripts/python_precise.ts"
import type { HasProps } from "../../src/core/has_props.ts"
import { resolve_model_class } from "../../src/core/registry.ts"
import "../../src/models/main.ts"
import { find_python } from "./find_python.mjs"

const found = find_python()
const skip = found.ok ? false : found.reason

const SCRIPT = `
import json, sys
from bokeh.model import Model
import bokeh.models
keys, probes = json.load(sys.stdin)
out = {"types": {}, "accepts": {}}
for key in keys:
    model, prop = key.rsplit(".", 1)
    out["types"][key] = str(Model.model_class_reverse_map[model].lookup(prop).property)
def accepts(p, v):
    try:
        return p.is_valid(p.transform(v))
    except Exception:
        return False
for key, values in probes.items():
    model, prop = key.rsplit(".", 1)
    p = Model.model_class_reverse_map[model].lookup(prop).property
    out["accepts"][key] = [accepts(p, tuple(v) if isinstance(v, list) else v) for v in values]
print(json.dumps(out))
`

/** Values to try on both sides, as JSON (what a peer could send). */
const PROBES: Record<string, unknown[]> = {
  "Slider.value": [1, 2.5, "abc", null, [1, 2], true],
  "RangeSlider.value": [[1, 2], [1, "2"], 3, [1]], // (Python cuts a longer tuple to two at set time, so never sends one)
  "CategoricalSlider.value": ["a", 1, null],
  "DateSlider.value": [1715904000000, "2024-05-17", "2024-05-17T10:20:30", "yesterday", true],
  "DatePicker.value": ["2024-05-17", "2024-05-17T10:20", "20240517", "2024-13-01", "17/05/2024", 5, null],
  "DatetimePicker.value": ["2024-05-17T10:20:30", 1715904000000, "next tuesday", null],
}

describe("the Python-precise table matches the installed Python Bokeh", { skip }, () => {
  it("each entry's Python type, and Python's verdict on a few values equals our kind's", async () => {
    if (!found.ok) return
    const child = execFile(found.python, ["-c", SCRIPT])
    child.stdin!.end(JSON.stringify([[...PYTHON_PRECISE.keys()], PROBES]))
    const out = await promisify((cb: (e: Error | null, s: string) => void) => {
      let text = ""
      let err = ""
      child.stdout!.on("data", (d: Buffer) => {
        text += d.toString()
      })
      child.stderr!.on("data", (d: Buffer) => {
        err += d.toString()
      })
      child.on("close", (code) => (code === 0 ? cb(null, text) : cb(new Error(`python exited ${code}: ${err}`), "")))
    })()
    const result = JSON.parse(out) as { types: Record<string, string>; accepts: Record<string, boolean[]> }
    for (const [key, o] of PYTHON_PRECISE) assert.equal(result.types[key], o.python, key)
    for (const [key, values] of Object.entries(PROBES)) {
      const [model, prop] = [key.slice(0, key.lastIndexOf(".")), key.slice(key.lastIndexOf(".") + 1)]
      const kind = (resolve_model_class(model) as unknown as typeof HasProps).__props__[prop]!.kind
      assert.deepEqual(
        values.map((v) => kind.valid(v)),
        result.accepts[key],
        key,
      )
    }
  })
})
