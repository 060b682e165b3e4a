# Twin of ticker.ts: a periodic callback on the server counts up in a div, every 20 ms.
from bokeh.io import curdoc
from bokeh.models import Div

tick = Div(name="tick", text="0")


def update():
    tick.text = str(int(tick.text) + 1)


curdoc().add_periodic_callback(update, 20)
curdoc().add_root(tick)
