"""Python's bokeh.client against a server (ours or Python's): the driver functions the interop tests call.

Sessions live in SESSIONS under a name the test chooses, so one Python process runs many checks.
"""
import json

from bokeh.client import pull_session, push_session, show_session
from bokeh.document import Document

SESSIONS = {}


def _record_patches(session):
    """Wraps the session's patch handler to record (model name, attribute) of every event the server sends."""
    seen = []
    original = session._handle_patch

    def handle(message):
        for event in message.content.get("events", []):
            model = event.get("model")
            obj = session.document.get_model_by_id(model["id"]) if isinstance(model, dict) else None
            seen.append([event["kind"], getattr(obj, "name", None), event.get("attr")])
        original(message)

    session._handle_patch = handle
    session.seen_patches = seen
    return session


def pull(name, url, arguments=None, session_id=None):
    session = _record_patches(pull_session(url=url, arguments=arguments, session_id=session_id))
    SESSIONS[name] = session
    return {"id": session.id, "connected": session.connected, "title": session.document.title, "roots": len(session.document.roots)}


def run_until(session, predicate, timeout=30):
    """Runs the client's IO loop until predicate() holds after a message, as loop_until_closed would.

    Python's synchronous client applies server patches only while its loop runs in the connected state: a
    force_roundtrip() drops every patch that arrives before its reply. So tests wait here, on the event.
    """
    conn = session._connection
    timed_out = []

    def expire():
        timed_out.append(True)
        conn._loop.stop()

    handle = conn._loop.call_later(timeout, expire)
    try:
        conn._loop_until(predicate)
    finally:
        conn._loop.remove_timeout(handle)
    if timed_out:
        raise TimeoutError(f"waited {timeout}s in state {type(conn._state).__name__}")


def _model(session, model):
    return session.document.select_one({"name": model})


def wait_value(name, model, attr, value, timeout=30):
    """Waits until the named model's attribute equals value (applying server patches meanwhile)."""
    session = SESSIONS[name]
    run_until(session, lambda: getattr(_model(session, model), attr) == value, timeout)
    return getattr(_model(session, model), attr)


def texts(name):
    """name -> text of every named model with a text, as the session's document has them now."""
    session = SESSIONS[name]
    return {m.name: m.text for m in session.document.models if m.name and hasattr(m, "text")}


def set_value(name, model, attr, value, until=None):
    """Sets a property; then waits until [model, attr, value] `until` holds, or else for a round trip."""
    session = SESSIONS[name]
    setattr(_model(session, model), attr, value)
    if until is None:
        session.force_roundtrip()
    else:
        wait_value(name, *until)
    return True


def get_value(name, model, attr):
    return getattr(_model(SESSIONS[name], model), attr)


def seen_patches(name, clear=True):
    session = SESSIONS[name]
    seen = list(session.seen_patches)
    if clear:
        session.seen_patches.clear()
    return seen


def server_info(name):
    return SESSIONS[name].request_server_info()


def show_url(name, app_url=None, session_id=None):
    """The URL show_session / session.show would open, captured by a fake browser controller."""
    opened = []

    class Recorder:
        def open(self, url, new=0, autoraise=True):
            opened.append([url, new])

    import bokeh.util.browser as browser
    original = browser.get_browser_controller
    browser.get_browser_controller = lambda browser=None: Recorder()
    try:
        if app_url is None:
            SESSIONS[name].show()
        else:
            show_session(session_id=session_id, url=app_url)
    finally:
        browser.get_browser_controller = original
    return opened


def close(name):
    """Closes the session and runs the loop until the connection notices the server closed its side too."""
    session = SESSIONS.pop(name)
    session.close()
    run_until(session, lambda: not session.connected)
    return {"connected": session.connected, "state": type(session._connection._state).__name__}


def push_doc(name, url, session_id=None, title="pushed from Python"):
    """Pushes a document with a slider, a div and a source, and keeps the session."""
    from bokeh.layouts import column
    from bokeh.models import ColumnDataSource, Div, Slider

    doc = Document()
    doc.title = title
    source = ColumnDataSource(name="pushed_source", data={"x": [1.5, 2.5], "s": ["é", "ü"]})
    slider = Slider(name="pushed_slider", title="s", start=0, end=10, value=3, tags=[source])
    doc.add_root(column(slider, Div(name="pushed_div", text="hello ✓")))
    session = _record_patches(push_session(doc, session_id=session_id, url=url))
    SESSIONS[name] = session
    return {"id": session.id}


def doc_json(name):
    """The session document as Python serializes it (ids, titles, every property)."""
    return SESSIONS[name].document.to_json()


def json_dumps(value):
    return json.dumps(value)


def add_div(name, model, text):
    from bokeh.models import Div

    session = SESSIONS[name]
    session.document.add_root(Div(name=model, text=text))
    session.force_roundtrip()
    return True


def remove_root(name, model):
    session = SESSIONS[name]
    session.document.remove_root(_model(session, model))
    session.force_roundtrip()
    return True


def set_title(name, title):
    session = SESSIONS[name]
    session.document.title = title
    session.force_roundtrip()
    return True


def replace_data(name, model, data):
    """Assigns a whole new `data` dict ({column: [values, dtype]}) to a ColumnDataSource (a ColumnDataChanged or ModelChanged on the wire)."""
    import numpy as np

    session = SESSIONS[name]
    _model(session, model).data = {k: np.array(values, dtype=dtype) for k, (values, dtype) in data.items()}
    session.force_roundtrip()
    return True


def wait_roots(name, names, title=None, timeout=30):
    """Waits until the document's roots have exactly these names (and this title); returns names and title."""
    session = SESSIONS[name]
    doc = session.document

    def ok():
        return sorted(r.name or "" for r in doc.roots) == sorted(names) and (title is None or doc.title == title)

    run_until(session, ok, timeout)
    return {"roots": sorted(r.name or "" for r in doc.roots), "title": doc.title}


def wait_tick(name, at_least, timeout=30):
    session = SESSIONS[name]
    run_until(session, lambda: int(_model(session, "tick").text) >= at_least, timeout)
    return int(_model(session, "tick").text) >= at_least
