"""gunicorn settings read from the working directory (`gunicorn fii.wsgi:application`).

The worker model is the one bench/stall.py chose (issue 21, docs/deployment.md "Workers"): two processes of four
threads each, so a slow request (a direct PDF download, a long query) holds one thread, not a whole process with
the light changes of a meeting queued behind it. Flags on the command line override these values.

Issue 16: no `Server: gunicorn` banner. gunicorn writes that header itself, before Django sees the
response, and has no setting for it; the one place to leave it out is its response's default headers.
"""

from gunicorn.http import wsgi as _wsgi

workers = 2  # one per CPU core: the pages are CPU-bound in Python
worker_class = "gthread"
threads = 4
timeout = 60
max_requests = 2000  # a safety net, not a leak fix (bench/load.py: worker memory grows 3-5 % over a run)
max_requests_jitter = 200
# The master loads the app once and every worker is forked from it: a worker that max_requests replaces is ready
# at once, instead of spending about 0.9 s of CPU importing Django and the app while requests queue behind it
# (bench/load.py saw those restarts as stalls of 0.2-0.6 s at the p95; BENCHMARKS.md, stop 22). The workers share
# the loaded code's memory. A code change needs a restart of the master (systemctl restart), not only a HUP.
preload_app = True

_default_headers = _wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [header for header in _default_headers(self) if not header.lower().startswith("server:")]


_wsgi.Response.default_headers = _default_headers_without_server
