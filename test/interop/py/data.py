"""Drivers for the `data` twin apps: describe sources with their NumPy dtypes, stream and patch from either side."""
import numpy as np

import data_ops
from client import SESSIONS, run_until


def _describe(value):
    if isinstance(value, np.ndarray):
        return {"ndarray": str(value.dtype), "shape": list(value.shape), "values": value.tolist() if value.dtype.kind != "M" else value.astype("int64").tolist()}
    if isinstance(value, list) and any(isinstance(v, np.ndarray) for v in value):
        return {"list": [_describe(v) for v in value]}
    return {"list": [v.item() if isinstance(v, np.generic) else v for v in value]}


def describe(name):
    """Every column of the `cds` and `images` sources of session `name`: container, dtype, shape, values."""
    doc = SESSIONS[name].document
    return {source: {k: _describe(v) for k, v in sorted(doc.select_one({"name": source}).data.items())} for source in ("cds", "images")}


def server_op(name, op):
    """Asks the app to apply op on the server, and waits until the patches it sent are applied here."""
    session = SESSIONS[name]
    session.document.select_one({"name": "op"}).value = op
    run_until(session, lambda: session.document.select_one({"name": "done"}).text == op)
    return True


def client_op(name, op):
    """Applies op to this client's document (sending the stream / patch events), then a round trip."""
    session = SESSIONS[name]
    data_ops.apply(session.document, op)
    session.force_roundtrip()
    return True
