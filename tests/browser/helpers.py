"""Steps shared by the browser tests. Each one checks the HTTP status before the test goes on."""

from contextlib import contextmanager
from pathlib import Path

from django.test import Client
from playwright.sync_api import Page, Response

# Screenshots of the browser tests, to look at after a run (ignored by git).
SCREENSHOTS = Path(__file__).resolve().parents[2] / "screenshots"


def shot_fits(page: Page, name: str) -> None:
    """Screenshots of the page at 1280 and 320 px (``<name>-<width>.png``), failing when it scrolls sideways."""
    SCREENSHOTS.mkdir(exist_ok=True)
    for width in (1280, 320):
        page.set_viewport_size({"width": width, "height": 800})
        page.screenshot(path=str(SCREENSHOTS / f"{name}-{width}.png"), full_page=True)
        overflow = page.evaluate("document.documentElement.scrollWidth - document.documentElement.clientWidth")
        assert overflow <= 0, f"{name} scrolls sideways by {overflow}px at {width}px"
    page.set_viewport_size({"width": 1280, "height": 800})


def logged_in_client(user) -> Client:
    """Django's test client, logged in as ``user`` without the login form."""
    client = Client()
    client.force_login(user, backend="organisations.backends.AccountBackend")
    return client


def goto(page: Page, path: str, *, status: int = 200) -> Response:
    response = page.goto(path)
    assert response is not None
    assert response.status == status, f"GET {path} answered {response.status}, expected {status}"
    return response


def reload(page: Page) -> Response:
    response = page.reload()
    assert response is not None
    assert response.status == 200, f"reloading {page.url} answered {response.status}"
    return response


def submit(page: Page, *, redirects: bool = True) -> Response:
    """Click the form's submit button in <main> (the header has a language switch) and wait for the page.

    With ``redirects`` the POST must answer with a redirect (post/redirect/get); without it the form
    must come back re-rendered, as it does with validation errors.
    """
    with page.expect_navigation() as navigation:
        page.locator("main").locator("button[type=submit]").click()
    response = navigation.value
    assert response is not None
    assert response.status == 200, f"{response.request.method} {response.url} answered {response.status}"
    redirected_from = response.request.redirected_from
    if redirects:
        assert redirected_from is not None and redirected_from.method == "POST", "the form did not redirect"
    else:
        assert redirected_from is None and response.request.method == "POST", "the form did not come back"
    return response


def follow(page: Page, link) -> Response:
    """Click a link (a Locator) and wait for the full page it leads to."""
    with page.expect_navigation() as navigation:
        link.click()
    response = navigation.value
    assert response is not None
    assert response.status == 200, f"{response.url} answered {response.status}"
    return response


@contextmanager
def htmx_request(page: Page, method: str = "GET"):
    """Wait for the htmx request the block's action triggers and check its status."""
    with page.expect_response(
        lambda r: r.request.method == method and r.request.headers.get("hx-request") == "true"
    ) as info:
        yield
    response = info.value
    assert response.status == 200, f"htmx {method} {response.url} answered {response.status}"


def mark_document(page: Page) -> None:
    """Tag the current document, so document_was_kept() can tell an in-place swap from a page load."""
    page.evaluate("window.__fiiDocumentMark = true")


def document_was_kept(page: Page) -> bool:
    return page.evaluate("window.__fiiDocumentMark === true")
