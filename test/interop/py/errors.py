"""Error cases of Python's client, reported as (exception type, message with the port masked, session state) so the
tests can compare what happens against our server with what happens against Python's own."""
import re
from contextlib import contextmanager

import numpy as np
from bokeh.client import ClientSession, pull_session, push_session
from bokeh.document import Document
from bokeh.models import ColumnDataSource
from bokeh.util.token import generate_jwt_token, generate_session_id


SECRET = b"interop-secret-key-of-at-least-32-bytes!"


def _outcome(fn):
    try:
        session = fn()
    except BaseException as e:
        return {"raised": type(e).__name__, "message": re.sub(r":\d+/", ":PORT/", str(e))}
    result = {"raised": None, "connected": session.connected}
    conn = session._connection
    if conn is not None:
        result["error_reason"] = str(getattr(conn, "error_reason", None))
        result["error_code"] = getattr(conn, "error_code", None)
    session.close()
    return result


@contextmanager
def _token(token):
    original = ClientSession.token
    ClientSession.token = property(lambda self: token(self))
    try:
        yield
    finally:
        ClientSession.token = original


def pull(url, max_message_size=20 * 1024 * 1024):
    return _outcome(lambda: pull_session(url=url, max_message_size=max_message_size))


def pull_with_token(url, kind):
    """kind: garbage | expired | illegal_chars | wrong_signature | good_signature (signed with SECRET)"""
    tokens = {
        "good_signature": lambda s: generate_jwt_token(generate_session_id(SECRET, signed=True), signed=True, secret_key=SECRET),
        "garbage": lambda s: "not-a-token",
        "expired": lambda s: generate_jwt_token(s.id, expiration=-100),
        "illegal_chars": lambda s: generate_jwt_token(s.id) + "\u00e9\t",
        "wrong_signature": lambda s: generate_jwt_token(s.id, signed=True, secret_key=b"x" * 32),
    }
    with _token(tokens[kind]):
        return _outcome(lambda: pull_session(url=url))


def push_oversize(url, n):
    doc = Document()
    doc.add_root(ColumnDataSource(data={"x": np.arange(n, dtype=np.float64)}))
    return _outcome(lambda: push_session(doc, url=url))


def pull_big(url):
    """Pulls the `big` app (2 x 1,000,000 float64) with Python's default message limit; the columns' dtypes and sizes."""
    session = pull_session(url=url)
    data = session.document.select_one({"name": "big"}).data
    out = {k: [str(v.dtype), len(v), float(v[0]), float(v[-1])] for k, v in sorted(data.items())}
    session.close()
    return out
