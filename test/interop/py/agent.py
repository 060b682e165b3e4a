"""A long-lived Python peer for the interop tests: runs functions of the modules beside it on request.

Reads one JSON request per line on stdin: {"id": n, "call": "module.function", "args": {...}}; answers one JSON
line on stdout: {"id": n, "result": ..., "log": [...]} or {"id": n, "error": {"type", "message"}, "log": [...]}.
"log" holds every warning and every bokeh/tornado log record of WARNING or above emitted during the call, so
tests can assert that Python saw nothing to complain about. Anything the functions print goes to stderr.
"""
import importlib
import json
import logging
import os
import sys
import traceback
import warnings

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

from jsonable import jsonable  # noqa: E402

out = sys.stdout
sys.stdout = sys.stderr


class Collect(logging.Handler):
    def __init__(self):
        super().__init__(logging.WARNING)
        self.records = []

    def emit(self, record):
        self.records.append(f"{record.name} {record.levelname}: {record.getMessage()}")


collect = Collect()
logging.getLogger().addHandler(collect)
logging.getLogger().setLevel(logging.WARNING)


def reply(message):
    out.write(json.dumps(message, allow_nan=False) + "\n")
    out.flush()


def run(request):
    module_name, func_name = request["call"].rsplit(".", 1)
    func = getattr(importlib.import_module(module_name), func_name)
    collect.records = []
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            result = jsonable(func(**request.get("args", {})))
            message = {"id": request["id"], "result": result}
        except BaseException as e:  # report every failure to the test, keep serving
            traceback.print_exc()
            message = {"id": request["id"], "error": {"type": type(e).__name__, "module": type(e).__module__, "message": str(e)}}
    message["log"] = [f"{w.category.__name__}: {w.message}" for w in caught] + collect.records
    return message


import bokeh  # noqa: E402

reply({"ready": True, "bokeh": bokeh.__version__})
for line in sys.stdin:
    if line.strip():
        reply(run(json.loads(line)))
