"""Document comparison as Python sees it: every model of a document with every property value (defaults included),
encoded by Python's own serializer with binary data inlined, so two documents compare equal exactly when Python
would read the same models, values and dtypes from them."""
import math

from bokeh.core.serialization import Serializer
from bokeh.document import Document

from client import SESSIONS


def canonical(doc):
    models = list(doc.models)
    out = {"title": doc.title, "roots": sorted(r.id for r in doc.roots), "models": {}}
    for model in models:
        serializer = Serializer(references=set(models), deferred=False)
        props = model.properties_with_values(include_defaults=True)
        # Keyed by class and id, so a difference names the model class it is in.
        out["models"][f"{model.__qualified_model__} {model.id}"] = {"props": {k: serializer.encode(v) for k, v in props.items()}}
    return out


def _number(x):
    return isinstance(x, (int, float)) and not isinstance(x, bool)


def diff(a, b, path="", out=None, limit=20):
    """The paths where a and b differ (NaN equals NaN), at most `limit`."""
    out = [] if out is None else out
    if len(out) >= limit:
        return out
    if isinstance(a, dict) and isinstance(b, dict):
        for k in sorted(set(a) | set(b), key=str):
            if k not in a or k not in b:
                out.append(f"{path}/{k}: {'missing' if k not in a else repr(a[k])[:120]} != {'missing' if k not in b else repr(b[k])[:120]}")
            else:
                diff(a[k], b[k], f"{path}/{k}", out, limit)
    elif isinstance(a, (list, tuple)) and isinstance(b, (list, tuple)):
        if len(a) != len(b):
            out.append(f"{path}: length {len(a)} != {len(b)}: {repr(a)[:120]} != {repr(b)[:120]}")
        else:
            for i, (x, y) in enumerate(zip(a, b)):
                diff(x, y, f"{path}[{i}]", out, limit)
    elif isinstance(a, float) and isinstance(b, float) and math.isnan(a) and math.isnan(b):
        pass
    elif _number(a) and _number(b):
        # JSON has one number type: 1.0 written by JavaScript reads back as int 1, as from BokehJS.
        if a != b:
            out.append(f"{path}: {a!r} != {b!r}")
    elif type(a) is not type(b) or a != b:
        out.append(f"{path}: {repr(a)[:120]} != {repr(b)[:120]}")
    return out


def session_canonical(name):
    return canonical(SESSIONS[name].document)


def reads_back(name, doc_json):
    """How Python's reading of doc_json (e.g. our Node client's serialization) differs from session `name`'s document."""
    theirs = Document.from_json(doc_json)
    return diff(canonical(SESSIONS[name].document), canonical(theirs))


def same_documents(name_a, name_b):
    return diff(canonical(SESSIONS[name_a].document), canonical(SESSIONS[name_b].document))
