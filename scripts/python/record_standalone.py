"""Records Python Bokeh's standalone output (file_html, components, json_item) for one document.

The same document is built by test/unit/embed/standalone_python.test.ts; that test compares our
output with these recordings in structure (documents' models, render items, divs, script sources).

    /path/to/python scripts/python/record_standalone.py > test/fixtures/standalone/python_embed.json
"""
import json
import sys

import bokeh
from bokeh.document import Document
from bokeh.embed import components, file_html, json_item
from bokeh.models import ColumnDataSource, Div, Line, LinearAxis, Plot, Range1d, Title
from bokeh.resources import CDN


def build():
    source = ColumnDataSource(data=dict(x=[1, 2, 3], y=[1, 4, 9]), name="source")
    plot = Plot(name="plot", width=300, height=200, title=Title(text="recorded"),
                x_range=Range1d(start=0, end=4), y_range=Range1d(start=0, end=10))
    plot.add_glyph(source, Line(x="x", y="y", line_width=2))
    plot.add_layout(LinearAxis(), "below")
    plot.add_layout(LinearAxis(), "left")
    div = Div(text="<b>hello</b> & 'quotes' </script>", name="note")
    doc = Document()
    doc.title = "Recorded"
    doc.add_root(plot)
    doc.add_root(div)
    return doc, plot, div


doc, plot, div = build()
page = file_html(doc, CDN, "Recorded page")
doc, plot, div = build()
script, divs = components((plot, div))
doc, plot, div = build()
item = json_item(plot, "target")
json.dump({
    "bokeh": bokeh.__version__,
    "file_html": page,
    "components": {"script": script, "divs": list(divs)},
    "json_item": item,
}, sys.stdout, indent=1)
sys.stdout.write("\n")
