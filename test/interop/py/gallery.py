"""Pulls an app with the stock Python client and reports what Python objects to in it."""
from bokeh.client import pull_session
from bokeh.core.validation import check_integrity

from docs import canonical


def pull_check(url):
    """Pulls url; the document's size and every validation error and warning Python's check_integrity finds."""
    session = pull_session(url=url)
    try:
        doc = session.document
        issues = check_integrity(doc.models)
        canonical(doc)  # every value re-serializes in Python
        return {
            "roots": len(doc.roots),
            "models": len(list(doc.models)),
            "errors": [f"{i.code} {i.name}: {i.text} ({i.extra})" for i in issues.error],
            "warnings": [f"{i.code} {i.name}: {i.text} ({i.extra})" for i in issues.warning],
        }
    finally:
        session.close()
