"""gunicorn settings read from the working directory (`gunicorn fii.wsgi:application`).

Issue 16: no `Server: gunicorn` banner. gunicorn writes that header itself, before Django sees the
response, and has no setting for it; the one place to leave it out is its response's default headers.
"""

from gunicorn.http import wsgi as _wsgi

_default_headers = _wsgi.Response.default_headers


def _default_headers_without_server(self):
    return [header for header in _default_headers(self) if not header.lower().startswith("server:")]


_wsgi.Response.default_headers = _default_headers_without_server
