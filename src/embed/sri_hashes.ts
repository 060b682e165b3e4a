/**
 * Subresource Integrity hashes (sha384, base64) of the BokehJS bundles on Bokeh's CDN for the pinned
 * BokehJS, keyed by CDN file name as Python Bokeh's `bokeh/_sri/<version>.json` is. They are the
 * digests of the identical files in the `@bokeh/bokehjs` npm package; a test recomputes them from
 * node_modules, so bumping BokehJS without updating this table fails (`sri_hash()` makes new ones).
 */
import { createHash } from "node:crypto"

export const SRI_VERSION = "3.10.0"

export const SRI_HASHES: Readonly<Record<string, string>> = {
  "bokeh-3.10.0.min.js": "M5Q3NRjtlnhIwIYbaZE/Y3bvxTeL1dzY7n5yWExeSxGMR9aE0zFOToS2WXvDqj6g",
  "bokeh-gl-3.10.0.min.js": "OA/vIMoeHN5Cy9Cvu0tgjGy4eeqyFUTZ1NUgvM8Hr1ceaQUbWlWDeSwrwy8X6h5O",
  "bokeh-widgets-3.10.0.min.js": "mULTBCDvhXZHyLQg1KHDDQMkmFdyo/LkhWvu245XRZ0XKRARCsjLKMfovyi8mOAk",
  "bokeh-tables-3.10.0.min.js": "iWYzaYSJ0RIJAxOAVZ9z2g13EqoucKLpzfhbVX6sqCm3cvxiSWuphX00Tou7oydU",
  "bokeh-mathjax-3.10.0.min.js": "/oBQLVnyMIBjB6bkSmyQ1I+79o09R5rGvrumclGiIi0QUAC2CasyyOrOTTZct06H",
}

/** The SRI digest of a file's bytes, as Python's `_compute_single_hash` makes it (sha384, base64). */
export function sri_hash(data: Uint8Array): string {
  return createHash("sha384").update(data).digest("base64")
}
