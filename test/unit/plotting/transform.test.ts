import { test } from "node:test"
import assert from "node:assert/strict"
import { CategoricalColorMapper, CumSum, Dodge, Jitter, LinearColorMapper, LogColorMapper, Stack } from "../../../src/models/main.ts"
import { cumsum, dodge, factor_cmap, jitter, linear_cmap, log_cmap, stack, transform } from "../../../src/transform.ts"
import { Viridis256, Viridis, linear_palette, viridis, diverging_palette, all_palettes, named_palettes } from "../../../src/palettes.ts"

test("linear_cmap/log_cmap: a field with a color mapper; palette by name or list", () => {
  const f = linear_cmap("y", "Viridis256", 0, 10, { low_color: "white" })
  assert.equal(f.field, "y")
  const m = f.transform as LinearColorMapper
  assert.ok(m instanceof LinearColorMapper)
  assert.deepEqual(m.palette, [...Viridis256])
  assert.equal(m.low_color, "white")
  assert.ok(log_cmap("y", ["red", "blue"], 1, 100).transform instanceof LogColorMapper)
  assert.throws(() => linear_cmap("y", "NoSuchPalette", 0, 1), /unknown palette name/)
})

test("factor_cmap, dodge, jitter, cumsum, stack, transform", () => {
  const c = factor_cmap("k", ["red", "blue"], ["a", "b"], { start: 1 }).transform as CategoricalColorMapper
  assert.deepEqual([c.factors, c.start, c.end], [["a", "b"], 1, null])
  assert.equal((dodge("x", -0.25).transform as Dodge).value, -0.25)
  assert.equal((jitter("x", 0.5, { distribution: "normal" }).transform as Jitter).distribution, "normal")
  assert.ok(cumsum("a", true).expr instanceof CumSum)
  assert.deepEqual((stack("a", "b").expr as Stack).fields, ["a", "b"])
  const d = new Dodge({ value: 1 })
  assert.equal(transform("x", d).transform, d)
})

test("palettes: generated families keyed by size, derived palettes", () => {
  assert.equal(Viridis256.length, 256)
  assert.equal(Viridis256[0], "#440154")
  assert.equal(Viridis[3]!.length, 3)
  assert.ok("Category10" in all_palettes && "Viridis" in all_palettes)
  assert.equal(named_palettes["Viridis256"], Viridis256)
  assert.deepEqual(linear_palette(["a", "b", "c", "d", "e"], 3), ["a", "c", "e"])
  assert.deepEqual(viridis(2), [Viridis256[0], Viridis256[255]])
  assert.equal(viridis(256).length, 256)
  assert.deepEqual(diverging_palette(["a", "b"], ["c", "d"], 2), ["a", "d"])
  assert.throws(() => linear_palette(["a"], 2), /requested 2 colors/)
})
