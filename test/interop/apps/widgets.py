# For our client against Python's `bokeh serve`: one of every widget Python exports and the main glyph types,
# all on NumPy data of several dtypes, so the test can check our client decodes every value exactly.
import os
import sys
from datetime import date, datetime

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "py"))

from bokeh.io import curdoc  # noqa: E402
from bokeh.layouts import column  # noqa: E402
from bokeh.models import (  # noqa: E402
    ColumnDataSource, DataTable, DateRangeSlider, DateSlider, Dropdown, Select, Slider, TableColumn, Widget,
)
from bokeh.plotting import figure  # noqa: E402

from sample import build, exported_models  # noqa: E402

N = 8
rng = np.random.default_rng(1)
x = np.linspace(0, 1, N)
source = ColumnDataSource(name="data", data=dict(
    x=x, y=rng.random(N), f32=np.arange(N, dtype=np.float32) / 3, i8=np.arange(N, dtype=np.int8) - 4,
    i16=np.arange(N, dtype=np.int16) * -300, i32=np.arange(N, dtype=np.int32) * 100000, u8=np.arange(N, dtype=np.uint8) * 30,
    u16=np.arange(N, dtype=np.uint16) * 9000, u32=np.arange(N, dtype=np.uint32) * 500_000_000, b=np.arange(N) % 3 == 0,
    dt=np.arange("2024-01-01", N, dtype="datetime64[D]").astype("datetime64[ms]"), s=np.array([f"s{i}é" for i in range(N)]),
    color=["red", "green", "blue", "navy", "gold", "pink", "black", "gray"], w=np.full(N, 0.05), h=np.full(N, 0.1),
    xs=[np.array([0, 0.1, 0.2]) + i / N for i in range(N)], ys=[np.array([0, 0.2, 0.1]) + i / N for i in range(N)],
))
images = ColumnDataSource(name="images", data=dict(
    image=[np.arange(12, dtype=np.float64).reshape(3, 4)], rgba=[np.arange(6, dtype=np.uint32).reshape(2, 3)],
))

p = figure(name="plot", width=400, height=300, tools="pan,wheel_zoom,box_select,tap,hover,reset,save")
p.scatter("x", "y", source=source, size=8, color="color", marker="triangle")
p.line("x", "y", source=source, line_width=2)
p.multi_line("xs", "ys", source=source)
p.patches("xs", "ys", source=source, alpha=0.2)
p.quad(left="x", right="w", bottom="y", top="h", source=source, hatch_pattern="/")
p.rect("x", "y", "w", "h", source=source, angle=0.3)
p.vbar(x="x", top="y", width=0.02, source=source)
p.hbar(y="y", right="x", height=0.02, source=source)
p.segment("x", "y", "w", "h", source=source)
p.ray("x", "y", length=0.1, angle=1.0, source=source)
p.wedge("x", "y", radius=0.05, start_angle=0, end_angle=1, source=source)
p.annular_wedge("x", "y", 0.01, 0.05, 0, 1, source=source)
p.ellipse("x", "y", width="w", height="h", source=source)
p.text("x", "y", text="s", source=source)
p.varea(x="x", y1="y", y2="h", source=source)
p.step("x", "y", source=source, mode="center")
p.image(image="image", x=0, y=0, dw=1, dh=1, source=images, palette="Viridis256")
p.image_rgba(image="rgba", x=0, y=0, dw=1, dh=1, source=images)
p.hex_tile(q=[0, 1], r=[1, 0], size=0.1)

special = {
    "Slider": dict(start=0, end=10, value=3, step=0.5),
    "DateSlider": dict(start=date(2024, 1, 1), end=date(2024, 12, 31), value=date(2024, 6, 1)),
    "DateRangeSlider": dict(start=date(2024, 1, 1), end=date(2024, 12, 31), value=(date(2024, 2, 1), datetime(2024, 3, 1))),
    "Select": dict(options=["a", "é", "c"], value="é"),
    "Dropdown": dict(label="menu", menu=[("One", "one"), None, ("Two", "two")]),
    "DataTable": dict(source=source, columns=[TableColumn(field=c) for c in ("x", "i8", "b", "dt", "s")]),
}
widgets = []
for name, cls in exported_models().items():
    if issubclass(cls, Widget):
        widgets.append(build(cls, name=f"w_{name}", **special.get(name, {})))

doc = curdoc()
doc.add_root(column(p, *widgets, name="layout"))
doc.title = "Every widget"
_ = (DataTable, DateRangeSlider, DateSlider, Dropdown, Select, Slider)
