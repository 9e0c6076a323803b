"""PDF rendering with WeasyPrint, behind one small wrapper.

Reports are rendered from the same templates as their HTML pages. WeasyPrint may fetch nothing from
the network or the file system except the project's own static files: any other URL, including a
``file://`` or ``http://127.0.0.1`` reference in user text, is refused.
"""

from __future__ import annotations

import mimetypes
from pathlib import Path
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.contrib.staticfiles.storage import staticfiles_storage

# Relative URLs in a report ("/static/css/report.css") resolve against this host, which is never
# contacted: the fetcher answers static files from disk and refuses everything else.
REPORT_BASE_URL = "https://report.invalid/"
_REPORT_HOST = urlsplit(REPORT_BASE_URL).netloc


class BlockedURL(ValueError):
    pass


class ReportTooLarge(ValueError):
    """The report's HTML is larger than ``FII_PDF_MAX_HTML_BYTES``: laying it out could outlast the worker.

    WeasyPrint's time grows with the amount of text to lay out; a cap on the input is the one bound that
    holds whatever the text is (issue 16, finding 3). The printable page has no such cost and stays available.
    """


def _static_file(path: str) -> Path | None:
    if not path.startswith(settings.STATIC_URL):
        return None
    name = unquote(path[len(settings.STATIC_URL) :])
    if ".." in Path(name).parts:
        return None
    if staticfiles_storage.exists(name):
        return Path(staticfiles_storage.path(name))
    found = finders.find(name)
    return Path(found) if found else None


def _fetcher_class():
    from weasyprint.urls import URLFetcher, URLFetcherResponse

    class StaticFilesOnly(URLFetcher):
        def fetch(self, url, headers=None):
            parts = urlsplit(url)
            if parts.scheme == "data":
                return super().fetch(url, headers)
            if parts.scheme == "https" and parts.netloc == _REPORT_HOST:
                path = _static_file(parts.path)
                if path is not None and path.is_file():
                    content_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                    return URLFetcherResponse(url, path.read_bytes(), {"Content-Type": content_type})
            raise BlockedURL(f"Reports may only use the project's static files, not {url!r}.")

    return StaticFilesOnly


_SCOPES = {"row": "/Row", "rowgroup": "/Row", "col": "/Column", "colgroup": "/Column"}


def _tag_header_scopes() -> None:
    """Give every TH structure element the Scope of its ``<th scope>``, as PDF/UA-1 asks (Matterhorn 15-003).

    WeasyPrint 70 reads ``scope`` only to link data cells to their headers and leaves the TH without a
    Scope attribute. Its tree builder is wrapped once; a header without ``scope`` in the HTML stays without
    one, so tests/trajectories/test_pdf_structure.py still catches it. Decorative SVGs are kept out of the PDF by
    report.css (print media) instead: WeasyPrint tags every <svg> as a Figure, aria-hidden or not.
    """
    from weasyprint.pdf import tags

    if getattr(tags._build_box_tree, "fii_scopes", False):
        return
    original = tags._build_box_tree

    def build_box_tree(box, *args, **kwargs):
        yield from original(box, *args, **kwargs)
        mark = getattr(box, "mark", None)
        if mark is not None and getattr(box, "element_tag", None) == "th" and mark["S"] == "/TH":
            scope = _SCOPES.get((box.element.get("scope") or "").lower())
            if scope:
                mark["A"]["Scope"] = scope

    build_box_tree.fii_scopes = True  # type: ignore[attr-defined]
    tags._build_box_tree = build_box_tree


def render_pdf(html: str) -> bytes:
    """A tagged PDF (PDF/UA-1) of ``html``; title and language come from its <title> and <html lang>."""
    if len(html.encode("utf-8")) > settings.FII_PDF_MAX_HTML_BYTES:
        raise ReportTooLarge
    from weasyprint import HTML  # heavy import, only when a PDF is asked for

    _tag_header_scopes()
    document = HTML(string=html, base_url=REPORT_BASE_URL, url_fetcher=_fetcher_class()())
    return document.write_pdf(pdf_variant="pdf/ua-1")
