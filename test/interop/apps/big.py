# Twin of big.ts: two float64 columns of 1,000,000 points (16 MB of data; as JSON lists it would exceed Python's
# default 20 MiB websocket message limit, as binary buffers it fits).
import numpy as np
from bokeh.io import curdoc
from bokeh.models import ColumnDataSource

N = 1_000_000
x = np.arange(N, dtype=np.float64) / 7
curdoc().add_root(ColumnDataSource(name="big", data={"x": x, "y": -x}))
