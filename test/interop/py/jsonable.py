"""Turns what the drivers return into JSON the TypeScript tests can compare, keeping NumPy dtypes visible."""
import math

import numpy as np


def jsonable(value):
    if isinstance(value, np.ndarray):
        return {"ndarray": jsonable(value.tolist()), "dtype": str(value.dtype), "shape": list(value.shape)}
    if isinstance(value, np.generic):
        return jsonable(value.item())
    if isinstance(value, float):
        if math.isnan(value):
            return {"float": "nan"}
        if math.isinf(value):
            return {"float": "inf" if value > 0 else "-inf"}
        return value
    if isinstance(value, dict):
        return {str(k): jsonable(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [jsonable(v) for v in value]
    if isinstance(value, bytes):
        return {"bytes": value.hex()}
    if value is None or isinstance(value, (bool, int, str)):
        return value
    if hasattr(value, "isoformat"):
        return {"datetime": value.isoformat()}
    return {"repr": repr(value)}
