/**
 * Properties typed as Python Bokeh types them (scripts/python_precise.ts), where BokehJS is loose:
 * wrong values are compile errors (the `@ts-expect-error` lines fail `npm run typecheck` if the
 * precision goes) and ValidationErrors at run time; what browsers and Python send still decodes.
 */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { ValidationError } from "../../../src/core/errors.ts"
import { Datetime, IsoDate, parse_iso } from "../../../src/core/kinds.ts"
import { Document } from "../../../src/document/document.ts"
import {
  CategoricalSlider,
  CustomJS,
  DatePicker,
  DateRangeSlider,
  DateSlider,
  DatetimePicker,
  MultipleDatetimePicker,
  RangeSlider,
  Select,
  Slider,
  TapTool,
} from "../../../src/models/main.ts"

const invalid = (e: unknown): boolean => e instanceof ValidationError && e.code === "BK_ERR_INVALID_PROPERTY_VALUE"

describe("Python-precise property types", () => {
  it("Slider.value is a number: a string is a compile error and a ValidationError, and the value stays", () => {
    const slider = new Slider({ start: 0, end: 10, value: 1 })
    const read: number = slider.value // no cast needed
    assert.equal(read, 1)
    assert.throws(() => {
      // @ts-expect-error Slider.value is a number (Python's Float)
      slider.value = "abc"
    }, invalid)
    assert.equal(slider.value, 1)
    // @ts-expect-error the constructor checks it too
    assert.throws(() => new Slider({ start: 0, end: 10, value: "1" }), invalid)
    slider.value = 2.5
    assert.equal(slider.value, 2.5)
  })

  it("on_change callbacks get the property's type", () => {
    const slider = new Slider({ start: 0, end: 10, value: 1 })
    const got: number[] = []
    slider.on_change("value", (_attr, old, value) => {
      got.push(old, value)
    })
    // Only compiled, never run: the value is a number, not a string.
    // @ts-expect-error no toUpperCase on a number
    const wrong = () => slider.on_change("value", (_attr, _old, value) => value.toUpperCase())
    void wrong
    const range = new RangeSlider({ start: 0, end: 10, value: [1, 2] })
    range.on_change(["value", "value_throttled"], (_attr, _old, [low, high]) => {
      got.push(low, high)
    })
    slider.value = 3
    range.value = [4, 5]
    assert.deepEqual(got, [1, 3, 4, 5])
  })

  it("other sliders have their own types", () => {
    const range = new RangeSlider({ start: 0, end: 10, value: [1, 2] })
    const pair: [number, number] = range.value
    assert.deepEqual(pair, [1, 2])
    assert.throws(() => {
      // @ts-expect-error RangeSlider.value is Tuple(Float, Float)
      range.value = [1, "2"]
    }, invalid)
    assert.throws(() => {
      // @ts-expect-error a pair, not one number
      range.value = 3
    }, invalid)

    const cat = new CategoricalSlider({ categories: ["a", "b"], value: "a" })
    const c: string = cat.value
    assert.equal(c, "a")
    assert.throws(() => {
      // @ts-expect-error CategoricalSlider.value is a String
      cat.value = 1
    }, invalid)
  })

  it("date sliders hold milliseconds; ISO strings and Dates (which Python accepts) become milliseconds", () => {
    const day = Date.UTC(2024, 4, 17)
    const s = new DateSlider({ start: 0, end: day * 2, value: day })
    const ms: number = s.value
    assert.equal(ms, day)
    s.value = "2024-05-18" as unknown as number
    assert.equal(s.value, day + 86_400_000)
    s.value = new Date(day) as unknown as number
    assert.equal(s.value, day)
    assert.throws(() => {
      s.value = "yesterday" as unknown as number
    }, invalid)
    // A step is a whole number of days in Python (Int).
    assert.throws(() => {
      s.step = 0.5
    }, invalid)

    const r = new DateRangeSlider({ start: 0, end: day * 2, value: [0, day] })
    r.value = ["2024-05-17T00:00:00", day] as unknown as [number, number]
    assert.deepEqual(r.value, [day, day])
  })

  it("date pickers: DatePicker holds ISO date strings, DatetimePicker milliseconds (as in Python)", () => {
    const p = new DatePicker({ value: "2024-05-17" })
    const v: string | null = p.value
    assert.equal(v, "2024-05-17")
    assert.throws(() => {
      // @ts-expect-error DatePicker.value is Python's Date: not a number
      p.value = 5
    }, invalid)
    assert.throws(() => {
      p.value = "2024-13-01"
    }, invalid)
    assert.throws(() => {
      p.value = "2023-02-29"
    }, invalid)
    p.value = null

    const dt = new DatetimePicker({ value: "2024-05-17T10:20:30" as unknown as number })
    assert.equal(dt.value, Date.UTC(2024, 4, 17, 10, 20, 30))
    const many = new MultipleDatetimePicker({ value: ["2024-05-17", 5] as unknown as number[] })
    assert.deepEqual(many.value, [Date.UTC(2024, 4, 17), 5])
  })

  it("callbacks BokehJS types Any are callback models", () => {
    const tool = new TapTool({ callback: new CustomJS({ code: "" }) })
    assert.ok(tool.callback instanceof CustomJS)
    assert.throws(() => {
      // @ts-expect-error TapTool.callback is a Callback (Python's Instance(Callback))
      tool.callback = "alert(1)"
    }, invalid)
  })

  it("Select.value stays open: Python 3.9 types it AnyRef", () => {
    const select = new Select({
      options: [
        [1, "one"],
        [2, "two"],
      ],
      value: 1,
    })
    select.value = 2
    assert.equal(select.value, 2)
  })

  it("what stock BokehJS and Python send still decodes, and wrong values from peers are refused", async () => {
    const slider = new Slider({ id: "s", start: 0, end: 10, value: 1 })
    const dp = new DatePicker({ id: "d" })
    const dtp = new DatetimePicker({ id: "t" })
    const doc = new Document()
    for (const m of [slider, dp, dtp]) doc.add_root(m)
    const change = (id: string, attr: string, value: unknown) => ({ events: [{ kind: "ModelChanged", model: { id }, attr, new: value }] })
    await doc.apply_json_patch(change("s", "value", 4))
    await doc.apply_json_patch(change("d", "value", "2024-05-17"))
    await doc.apply_json_patch(change("t", "value", "2024-05-17T10:20:30")) // what BokehJS's DatetimePicker sends
    assert.equal(dtp.value, Date.UTC(2024, 4, 17, 10, 20, 30))
    await doc.apply_json_patch(change("t", "value", 1715904000000)) // what Python sends
    assert.equal(dtp.value, 1715904000000)
    await assert.rejects(async () => doc.apply_json_patch(change("s", "value", "abc")), invalid)
    await assert.rejects(async () => doc.apply_json_patch(change("d", "value", 1715904000000)), invalid)
    assert.equal(slider.value, 4)
    assert.equal(dp.value, "2024-05-17")
  })

  it("ISO strings are read as Python's fromisoformat reads them", () => {
    for (const s of ["2024-05-17", "20240517", "2024-05-17T10:20", "2024-05-17 10:20:30.5", "2024-05-17T10:20:30+02:00", "2024-05-17T10:20:30Z"]) {
      assert.ok(IsoDate.valid(s), s)
    }
    for (const s of ["2024-5-17", "17/05/2024", "2024-05-32", "2024-05-17T25:00", "", "2024-0517"]) assert.ok(!IsoDate.valid(s), s)
    // The offset is dropped, as Python's convert_date_to_datetime does (it keeps the wall clock).
    assert.equal(Datetime.coerce("2024-05-17T10:20:30+02:00"), Date.UTC(2024, 4, 17, 10, 20, 30))
    assert.equal(Datetime.coerce("0099-01-01"), -59042995200000)
    assert.deepEqual(parse_iso("2024-02-29T23:59:59"), { y: 2024, m: 2, d: 29, hh: 23, mm: 59, ss: 59 })
    assert.ok(!Datetime.valid(true))
  })
})
