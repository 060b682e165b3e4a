/**
 * Hex tiling helpers (Python's `bokeh.util.hex`): axial ↔ cartesian coordinates of hexagonal tiles
 * and equal-weight hex binning, as `figure.hexbin` uses them. Axial coordinates as in
 * https://www.redblobgames.com/grids/hexagons/.
 */

export type HexOrientation = "pointytop" | "flattop"

type Numbers = ArrayLike<number>

/** Tiles and the number of points in each: parallel columns. */
export interface HexBinData {
  readonly q: Int32Array
  readonly r: Int32Array
  readonly counts: Int32Array
}

/** Centers (x, y) of the tiles at axial (q, r). */
export function axial_to_cartesian(q: Numbers, r: Numbers, size: number, orientation: HexOrientation, aspect_scale = 1): [Float64Array, Float64Array] {
  const n = q.length
  const x = new Float64Array(n)
  const y = new Float64Array(n)
  for (let i = 0; i < n; i++) {
    if (orientation === "pointytop") {
      x[i] = (size * Math.sqrt(3) * (q[i]! + r[i]! / 2)) / aspect_scale
      y[i] = -size * 1.5 * r[i]!
    } else {
      x[i] = size * 1.5 * q[i]!
      y[i] = -size * Math.sqrt(3) * (r[i]! + q[i]! / 2) * aspect_scale
    }
  }
  return [x, y]
}

/** NumPy's round: halves go to the even neighbour. */
function round_half_even(v: number): number {
  const r = Math.round(v)
  return Math.abs(v % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r
}

/** Axial (q, r) of the tiles that enclose the points (x, y). */
export function cartesian_to_axial(x: Numbers, y: Numbers, size: number, orientation: HexOrientation, aspect_scale = 1): [Int32Array, Int32Array] {
  const [c0, c1, c2, c3] = orientation === "flattop" ? [2 / 3, 0, -1 / 3, Math.sqrt(3) / 3] : [Math.sqrt(3) / 3, -1 / 3, 0, 2 / 3]
  const n = x.length
  const q = new Int32Array(n)
  const r = new Int32Array(n)
  for (let i = 0; i < n; i++) {
    const sx = (x[i]! / size) * (orientation === "pointytop" ? aspect_scale : 1)
    const sy = -y[i]! / size / (orientation === "flattop" ? aspect_scale : 1)
    // cube rounding: round all three cube coordinates, then fix the one that moved most
    const cx = c0 * sx + c1 * sy
    const cz = c2 * sx + c3 * sy
    const cy = -cx - cz
    const [rx, ry, rz] = [round_half_even(cx), round_half_even(cy), round_half_even(cz)]
    const [dx, dy, dz] = [Math.abs(rx - cx), Math.abs(ry - cy), Math.abs(rz - cz)]
    const x_worst = dx > dy && dx > dz
    q[i] = x_worst ? -(ry + rz) : rx
    r[i] = !x_worst && !(dy > dz) ? -(rx + ry) : rz
  }
  return [q, r]
}

/** Counts the points (x, y) per hex tile of `size`; tiles sorted by (q, r). */
export function hexbin(x: Numbers, y: Numbers, size: number, orientation: HexOrientation = "pointytop", aspect_scale = 1): HexBinData {
  const [q, r] = cartesian_to_axial(x, y, size, orientation, aspect_scale)
  const counts = new Map<string, [number, number, number]>()
  for (let i = 0; i < q.length; i++) {
    const key = `${q[i]},${r[i]}`
    const bin = counts.get(key)
    if (bin === undefined) counts.set(key, [q[i]!, r[i]!, 1])
    else bin[2] += 1
  }
  const bins = [...counts.values()].sort((a, b) => a[0] - b[0] || a[1] - b[1])
  return {
    q: Int32Array.from(bins, (b) => b[0]),
    r: Int32Array.from(bins, (b) => b[1]),
    counts: Int32Array.from(bins, (b) => b[2]),
  }
}
