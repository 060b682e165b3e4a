# Twin of echo.ts: the same models, names and behaviour, served by Python's `bokeh serve` in the interop tests.
# A slider the server echoes into a div, the request arguments as JSON, a button counting clicks.
import json

from bokeh.io import curdoc
from bokeh.layouts import column
from bokeh.models import Button, Div, Dropdown, Slider

doc = curdoc()
request = doc.session_context.request if doc.session_context else None
raw = request.arguments if request is not None else {}
args = {k: [v.decode("utf-8") for v in vs] for k, vs in raw.items()}

slider = Slider(name="in", title="in", start=0, end=1_000_000_000, step=1, value=0)
out = Div(name="out", text="value: 0")
shown = Div(name="args", text=json.dumps(args, ensure_ascii=False, sort_keys=True, separators=(",", ":")))
button = Button(name="button", label="click")
clicks = Div(name="clicks", text="clicks: 0")
count = [0]


def on_value(attr, old, new):
    out.text = f"value: {new}"


def on_click(event):
    count[0] += 1
    clicks.text = f"clicks: {count[0]} {type(event).__name__}"


menu = Dropdown(name="menu", label="menu", menu=[("One ✓", "one"), None, ("Two", "two")])


def on_menu(event):
    clicks.text = f"menu: {event.item}"


slider.on_change("value", on_value)
menu.on_click(on_menu)
button.on_event("button_click", on_click)
doc.add_root(column(slider, out, shown, button, clicks, menu))
doc.title = "Echo ünïcode"
