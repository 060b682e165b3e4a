# Twin of data.ts: a source with a column of every dtype and one of 2-D images. Setting the "op" input to
# "stream:k" or "patch:k" makes the server stream or patch them (data_ops.py), then echo the op into "done".
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "py"))

from bokeh.io import curdoc  # noqa: E402
from bokeh.layouts import column  # noqa: E402
from bokeh.models import ColumnDataSource, Div, TextInput  # noqa: E402

import data_ops  # noqa: E402

doc = curdoc()
args = doc.session_context.request.arguments if doc.session_context else {}
data = data_ops.initial()
if args.get("dt") == [b"float"]:
    # Python's server can't take a stream from a client into a datetime64 column (NumPy refuses to concatenate
    # the float64 milliseconds that arrive): sessions that clients stream into keep them as float64 from the start.
    data["dt"] = data["dt"].astype("int64").astype("float64")
cds = ColumnDataSource(name="cds", data=data)
images = ColumnDataSource(name="images", data=data_ops.initial_images())
op = TextInput(name="op", value="")
done = Div(name="done", text="")


def on_op(attr, old, new):
    data_ops.apply(doc, new)
    done.text = new


op.on_change("value", on_op)
doc.add_root(column(op, done, tags=[cds, images]))
doc.title = "Data"
