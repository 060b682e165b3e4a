/** Hex tiling (bokeh.util.hex) and figure.hexbin. */
import assert from "node:assert/strict"
import { describe, it } from "node:test"

import { BokehError } from "../../../src/core/errors.ts"
import { ColumnDataSource, HexTile, LinearColorMapper } from "../../../src/models/main.ts"
import { figure } from "../../../src/plotting/figure.ts"
import { axial_to_cartesian, cartesian_to_axial, hexbin, type HexOrientation } from "../../../src/util/hex.ts"

const sq3 = Math.sqrt(3)

describe("bokeh.util.hex", () => {
  it("axial_to_cartesian gives Python's values for the first ring", () => {
    const q = [0, 0, 0, 1, -1, 1, -1]
    const r = [0, 1, -1, 0, 1, -1, 0]
    const [x, y] = axial_to_cartesian(q, r, 1, "pointytop")
    const close = (a: ArrayLike<number>, b: number[]) => Array.from(a).forEach((v, i) => assert.ok(Math.abs(v - b[i]!) < 1e-12, `${v} vs ${b[i]}`))
    close(x, [0, sq3 / 2, -sq3 / 2, sq3, -sq3 / 2, sq3 / 2, -sq3])
    close(y, [0, -1.5, 1.5, 0, -1.5, 1.5, 0])
    const [fx, fy] = axial_to_cartesian(q, r, 1, "flattop")
    close(fx, [0, 0, 0, 1.5, -1.5, 1.5, -1.5])
    close(fy, [0, -sq3, sq3, -sq3 / 2, -sq3 / 2, sq3 / 2, sq3 / 2])
  })

  it("tile centers map back to their own tile; every point lands in the tile whose center is nearest", () => {
    for (const orientation of ["pointytop", "flattop"] as HexOrientation[]) {
      const q: number[] = []
      const r: number[] = []
      for (let a = -4; a <= 4; a++)
        for (let b = -4; b <= 4; b++) {
          q.push(a)
          r.push(b)
        }
      const [cx, cy] = axial_to_cartesian(q, r, 0.7, orientation)
      const [bq, br] = cartesian_to_axial(cx, cy, 0.7, orientation)
      assert.deepEqual([Array.from(bq), Array.from(br)], [q, r], orientation)
      // pseudo-random points inside the grid
      let seed = 7
      const rand = () => ((seed = (seed * 16807) % 2147483647) / 2147483647) * 4 - 2
      const px = Array.from({ length: 500 }, rand)
      const py = Array.from({ length: 500 }, rand)
      const [pq, pr] = cartesian_to_axial(px, py, 0.7, orientation)
      const [tx, ty] = axial_to_cartesian(pq, pr, 0.7, orientation)
      for (let i = 0; i < px.length; i++) {
        const d = Math.hypot(px[i]! - tx[i]!, py[i]! - ty[i]!)
        const nearest = Math.min(...Array.from(cx, (x, j) => Math.hypot(px[i]! - x, py[i]! - cy[j]!)))
        assert.ok(d <= 0.7 + 1e-9 && d <= nearest + 1e-9, `${orientation}: point ${i} is ${d} from its tile, nearest center ${nearest}`)
      }
    }
  })

  it("hexbin counts every point once, tiles sorted by (q, r)", () => {
    const x = [0, 0.1, -0.1, 5, 5.05, -3]
    const y = [0, 0.05, -0.02, 5, 5.02, 1]
    const bins = hexbin(x, y, 1)
    assert.equal(
      bins.counts.reduce((a, b) => a + b, 0),
      x.length,
    )
    assert.deepEqual(Array.from(bins.counts).sort(), [1, 2, 3])
    const keys = Array.from(bins.q, (q, i) => [q, bins.r[i]!] as const)
    assert.deepEqual(
      keys,
      [...keys].sort((a, b) => a[0] - b[0] || a[1] - b[1]),
    )
  })
})

describe("figure.hexbin", () => {
  it("draws one hex_tile renderer colored by count with a linear color map", () => {
    const p = figure()
    const [renderer, bins] = p.hexbin([0, 0.1, 3, 3.1, 3.05], [0, 0.1, 3, 3.1, 3.0], 0.5, { hover_color: "pink", palette: "Greys9" })
    const glyph = renderer.glyph as HexTile
    assert.ok(glyph instanceof HexTile)
    assert.deepEqual([glyph.q, glyph.r, glyph.size, glyph.orientation, glyph.line_color], [{ field: "q" }, { field: "r" }, 0.5, "pointytop", null])
    const fill = glyph.fill_color as { field: string; transform: LinearColorMapper }
    assert.equal(fill.field, "c")
    assert.ok(fill.transform instanceof LinearColorMapper)
    assert.deepEqual([fill.transform.low, fill.transform.high], [0, Math.max(...bins.counts)])
    assert.equal(
      bins.counts.reduce((a, b) => a + b, 0),
      5,
    )
    const data = (renderer.data_source as ColumnDataSource).data
    assert.deepEqual(Array.from(data["c"] as Int32Array), Array.from(bins.counts))
    assert.ok(renderer.hover_glyph !== null, "hover_ options make a hover glyph, as for any glyph method")
  })

  it("mismatched lengths and bad sizes are plotting errors", () => {
    const p = figure()
    assert.throws(
      () => p.hexbin([1, 2], [1], 1),
      (e) => e instanceof BokehError && e.code === "BK_ERR_PLOTTING_ARGUMENT",
    )
    assert.throws(
      () => p.hexbin([1], [1], 0),
      (e) => e instanceof BokehError && e.code === "BK_ERR_PLOTTING_ARGUMENT",
    )
  })
})
