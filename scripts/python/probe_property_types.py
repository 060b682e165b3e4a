"""Prints, as JSON, which probe values Python Bokeh's property types accept, per model and property,
each as Python serializes it. scripts/gen-python-wider.ts reads the output and keeps the properties where
Python accepts a value that BokehJS's kind (ours) refuses (src/core/serialization/python_wider.ts).

Run with a Python that has Bokeh: `python scripts/python/probe_property_types.py > probes.json`.
"""
import datetime
import bokeh
import json

import numpy as np
from bokeh.core.serialization import Serializer
from bokeh.model import Model
from bokeh.models import *  # noqa: F401,F403 (registers every model)
from bokeh.models import BasicTicker, CustomJS, FixedTicker, Range1d

PROBES = [
    0, 1, -1, 0.5, 2**40, True, "a", "auto", "red", "#ff0000", "10px", "", ["a", "b"], ("a", "b"), ("a", "b", "c"),
    [1, 2], [[1, 2]], {"a": 1}, {"a": "b"}, {"a": [1]}, None,
    datetime.datetime(2020, 1, 1), datetime.date(2020, 1, 1), np.float64(1.5), np.array([1.0, 2.0]),
    lambda: CustomJS(code=""), lambda: FixedTicker(ticks=[1]), lambda: BasicTicker(), lambda: Range1d(),
    lambda: [("a", "b"), ("c", CustomJS(code="")), None],
    {"value": 1, "units": "screen"}, {"field": "x", "units": "screen"}, {"value": "a"}, {"field": "x"},
]

out = {}
for name, cls in sorted(Model.model_class_reverse_map.items()):
    props = {}
    for prop_name in cls.properties():
        descriptor = cls.lookup(prop_name)
        prop = descriptor.property
        accepted = []
        for probe in PROBES:
            value = probe() if callable(probe) else probe
            try:
                ok = prop.is_valid(prop.transform(value))
            except Exception:
                ok = False
            if ok:
                accepted.append(Serializer(deferred=False).encode(prop.transform(value)))
        props[prop_name] = accepted
    out[name] = props
print(json.dumps({"bokeh": bokeh.__version__, "models": out}, default=str))
