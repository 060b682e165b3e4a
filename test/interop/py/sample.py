"""Builds a valid instance of any concrete Bokeh model: defaults, plus a sample value for every Required property.

Used by the sweep (one document per model class Python exports) and by the widgets app.
"""
import bokeh.models
from bokeh.core.has_props import is_abstract
from bokeh.core.property.required import Required
from bokeh.core.property.descriptors import UnsetValueError
from bokeh.model import Model

# Plain values tried in order for a property type (the first the type accepts wins).
CANDIDATES = [1, 0.5, "x", "red", True, [0, 1], (0, 1), [], {}, "10px", "field", ("a", "b"), 0, b"x", "{}", ["red", "blue"]]
# Concrete picks for abstract instance types, where the first concrete subclass by name would be a poor sample.
PREFERRED = {
    "DataSource": "ColumnDataSource", "ColumnarDataSource": "ColumnDataSource", "Ticker": "BasicTicker",
    "Scale": "LinearScale", "Range": "Range1d", "Renderer": "GlyphRenderer", "DataRenderer": "GlyphRenderer",
    "TickFormatter": "BasicTickFormatter", "Glyph": "Scatter", "UIElement": "Div", "LayoutDOM": "Div",
    "Filter": "AllIndices", "Callback": "CustomJS", "Mapper": "LinearColorMapper", "ColorMapper": "LinearColorMapper",
    "ContinuousColorMapper": "LinearColorMapper", "Tool": "PanTool", "Expression": "Stack", "Transform": "Dodge",
    "Interpolator": "LinearInterpolator", "TileSource": "WMTSTileSource", "Widget": "Div", "Annotation": "Label",
    "Axis": "LinearAxis", "ContinuousAxis": "LinearAxis", "Model": "Div", "StyleSheet": "InlineStyleSheet",
    "DOMNode": "Text", "Selector": "ByID", "CoordinateMapping": "CoordinateMapping", "BaseText": "PlainText",
    "Action": "ToggleVisibility", "Icon": "BuiltinIcon", "LayoutProvider": "StaticLayoutProvider",
}


def concrete(cls):
    """cls itself if concrete, else a concrete subclass exported by bokeh.models."""
    if not issubclass(cls, Model):
        cls = Model
    if not is_abstract(cls):
        return cls
    preferred = getattr(bokeh.models, PREFERRED.get(cls.__name__, ""), None)
    if preferred is not None and issubclass(preferred, cls) and not is_abstract(preferred):
        return preferred
    subclasses = sorted((c for c in Model.model_class_reverse_map.values() if issubclass(c, cls) and not is_abstract(c)), key=lambda c: c.__name__)
    exported = [c for c in subclasses if getattr(bokeh.models, c.__name__, None) is c]
    return (exported or subclasses)[0]


def sample_value(ptype, depth):
    if hasattr(ptype, "instance_type"):
        if depth is None:
            raise ValueError("no instances here")
        return build(concrete(ptype.instance_type), depth + 1)
    allowed = getattr(ptype, "allowed_values", None)
    if allowed:
        return allowed[0]
    for v in CANDIDATES:
        if ptype.is_valid(v):
            return v
    for tp in getattr(ptype, "type_params", []):
        try:
            v = sample_value(tp, depth)
        except ValueError:
            continue
        if ptype.is_valid(v):
            return v
    type_param = getattr(ptype, "type_param", None)
    if type_param is not None:
        v = sample_value(type_param, depth)
        inner = getattr(type_param, "item_type", None)
        for candidate in (v, [v]) if inner is None else (v, [sample_value(inner, depth)]):
            if ptype.is_valid(candidate):
                return candidate
    item = getattr(ptype, "item_type", None)
    if item is not None:
        v = [sample_value(item, depth)]
        if ptype.is_valid(v):
            return v
    raise ValueError(f"no sample value for {ptype}")


def build(cls, depth=0, rich=False, **values):
    """An instance of cls with `values`, and a sample for every Required property left unset; with `rich`, every
    other property that takes a plain value gets a sample value too (so more than defaults travel)."""
    if depth > 4:
        raise ValueError(f"too deep building {cls.__name__}")
    obj = cls(**values)
    for name in sorted(obj.properties()):
        if obj.lookup(name).property.readonly:
            continue
        try:
            getattr(obj, name)
        except UnsetValueError:
            ptype = obj.lookup(name).property
            setattr(obj, name, sample_value(ptype.type_param if isinstance(ptype, Required) else ptype, depth))
        else:
            if rich and name == "hatch_extra":
                # A dict of textures: the dict-valued spec that must not be mistaken for a value rep.
                obj.hatch_extra = {"mine": bokeh.models.ImageURLTexture(url="data:image/png;base64,AA==")}
            elif rich and name not in values and name not in ("name", "id"):
                try:
                    setattr(obj, name, sample_value(obj.lookup(name).property, None))
                except Exception:
                    pass
    return obj


def exported_models():
    """Every concrete model class bokeh.models exports, by exported name."""
    out = {}
    for name in sorted(dir(bokeh.models)):
        cls = getattr(bokeh.models, name)
        if isinstance(cls, type) and issubclass(cls, Model) and not is_abstract(cls):
            out[name] = cls
    return out
