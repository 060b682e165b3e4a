"""The data of the `data` twin apps and the streams and patches the tests apply to it, from either side.

data_ops.ts in apps/ is the same in TypeScript; keep them in step. Every NumPy dtype Bokeh sends as binary
(float64/32, int8-32, uint8-32, bool), datetime64 (sent as float64 milliseconds), strings, 2-D images.
"""
import numpy as np

ROLLOVER = 6
DTYPES = ["float64", "float32", "int8", "int16", "int32", "uint8", "uint16", "uint32"]
COLUMNS = ["f64", "f32", "i8", "i16", "i32", "u8", "u16", "u32"]
BASE = [0.5, 0.25, -1, -1000, -100000, 1, 1000, 4_000_000_000]


def _numeric(n, start):
    return {c: np.array([b + (start + i if b >= 0 else -(start + i)) for i in range(n)], dtype=d) for c, d, b in zip(COLUMNS, DTYPES, BASE)}


def _rows(n, start):
    data = _numeric(n, start)
    data["b"] = np.array([(start + i) % 2 == 0 for i in range(n)])
    data["dt"] = np.array([np.datetime64("2024-01-01", "ms") + np.timedelta64(start + i, "D") for i in range(n)])
    data["s"] = np.array([f"s{start + i}é" for i in range(n)])
    return data


def initial():
    return _rows(4, 0)


def initial_images():
    return {"img": [np.arange(6, dtype=np.float64).reshape(2, 3)], "u8img": [np.arange(6, dtype=np.uint8).reshape(3, 2)]}


def stream_rows(k):
    return _rows(2, 10 * k)


def stream_images(k):
    return {"img": [np.full((2, 3), k, dtype=np.float64)], "u8img": [np.full((3, 2), k, dtype=np.uint8)]}


def patches(k):
    return {
        "f64": [(0, k + 0.125)],
        "i8": [(1, -k)],
        "u32": [(2, 3_000_000_000 + k)],
        "b": [(0, False), (1, True)],
        "s": [(2, f"p{k}✓")],
        "f32": [(slice(0, 2), np.array([k, k + 0.5], dtype=np.float32))],
        "u16": [(slice(1, 4, 2), [k, k + 1])],
        "i16": [(slice(None, 4), [k, k, k, k])],
    }


def image_patches(k):
    return {"img": [([0, 0, slice(0, 2)], [k, k + 1])], "u8img": [([0, slice(1, 3), 1], [k, k + 1])]}


def apply(doc, op):
    """Applies 'stream:k' or 'patch:k' to the named sources of doc."""
    kind, k = op.split(":")
    cds = doc.select_one({"name": "cds"})
    images = doc.select_one({"name": "images"})
    if kind == "stream":
        cds.stream(stream_rows(int(k)), rollover=ROLLOVER)
        images.stream(stream_images(int(k)), rollover=ROLLOVER)
    elif kind == "patch":
        cds.patch(patches(int(k)))
        images.patch(image_patches(int(k)))
    else:
        raise ValueError(op)
