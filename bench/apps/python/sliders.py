"""Python twin of bench/apps/sliders.ts (docs/benchmarks.md): `bokeh serve bench/apps/python/sliders.py`."""
import numpy as np
from bokeh.io import curdoc
from bokeh.layouts import column, row
from bokeh.models import ColumnDataSource, Div, Slider
from bokeh.plotting import figure

x = np.linspace(0, 4 * np.pi, 200)
source = ColumnDataSource(data=dict(x=x, y=np.sin(x)))
plot = figure(height=400, width=400, title="my sine wave", tools="crosshair,pan,reset,save,wheel_zoom",
              x_range=[0, 4 * np.pi], y_range=[-2.5, 2.5])
plot.line("x", "y", source=source, line_width=3, line_alpha=0.6)
amplitude = Slider(name="amplitude", title="amplitude", value=1, start=-5, end=5, step=0.1)
frequency = Slider(name="frequency", title="frequency", value=1, start=0.1, end=5.1, step=0.1)
phase = Slider(name="phase", title="phase", value=0, start=0, end=2 * np.pi)
offset = Slider(name="offset", title="offset", value=0, start=-5, end=5, step=0.1)
label = Div(name="label", text="amplitude: 1")

def update(attr, old, new):
    a, f, p, o = amplitude.value, frequency.value, phase.value, offset.value
    source.data = dict(x=x, y=a * np.sin(f * x + p) + o)

for s in (amplitude, frequency, phase, offset):
    s.on_change("value", update)
amplitude.on_change("value", lambda attr, old, new: setattr(label, "text", f"amplitude: {new}"))
curdoc().add_root(row(column(amplitude, frequency, phase, offset, label), plot))
curdoc().title = "Sliders"
