"""The sweep: for every concrete model class Python exports, a document holding one (sample.build), in batches, that Python pushes
to our server and to its own, then pulls back on the same connection; both must come back equal. Our Node client then
pulls the session from our server and re-serializes it, and Python must read that back equal too."""
import copy
import re

from bokeh.client import push_session
from bokeh.document import Document
from bokeh.models import Div

from client import SESSIONS
from docs import canonical, diff
from sample import build, exported_models

REFERENCE = {}


def names():
    return list(exported_models())


def _push_pull(doc_json, url):
    doc = Document.from_json(copy.deepcopy(doc_json))
    session = push_session(doc, url=url)
    session.pull()
    return session


def _push_both(key, names, ours, theirs, rich):
    """Pushes one document with an instance of each class in names to both servers and pulls it back from each."""
    models = exported_models()
    doc = Document()
    # One root holding the instances in its tags: Python's Document re-indexes every model on each add_root, which
    # makes many roots quadratic; references inside any property are collected all the same (by us too).
    doc.add_root(Div(name="sweep", tags=[build(models[name], rich=rich) for name in names]))
    doc_json = doc.to_json(deferred=False)
    try:
        theirs_session = _push_pull(doc_json, theirs)
        REFERENCE[key] = canonical(theirs_session.document)
        theirs_session.close()
    except Exception as e:
        return {"key": key, "names": names, "error": f"Python's own server: {type(e).__name__}: {e}"}
    try:
        session = _push_pull(doc_json, ours)
    except Exception as e:
        return {"key": key, "names": names, "error": f"{type(e).__name__}: {re.sub(r':[0-9]+/', ':PORT/', str(e))}"}
    SESSIONS[f"sweep-{key}"] = session
    return {"key": key, "names": names, "id": session.id, "diff": diff(REFERENCE[key], canonical(session.document))}


def push_batch(key, batch, ours, theirs, rich=False):
    """The batch in one document: differences name the model class (docs.canonical), a refused document names it
    in the error."""
    return [_push_both(key, batch, ours, theirs, rich)]


def reads_back_batch(docs):
    """Per document key: how Python's reading of our Node client's serialization differs from the reference."""
    out = {}
    for name, doc_json in docs.items():
        try:
            out[name] = diff(REFERENCE[name], canonical(Document.from_json(doc_json)))
        except Exception as e:
            out[name] = [f"{type(e).__name__}: {e}"]
    return out


def close_batch(keys):
    for key in keys:
        session = SESSIONS.pop(f"sweep-{key}", None)
        if session is not None:
            session.close()
    return True
