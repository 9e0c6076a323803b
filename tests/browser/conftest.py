"""Browser tests: Debian's Chromium driven by Playwright against pytest-django's live server.

Every page a test opens is watched: a console error, an uncaught script error, a failed request or a
same-origin response with status >= 400 fails the test, unless the test announced that status with
``problems.expect_status(path, status)``.
"""

import os
import re
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import BrowserContext, ConsoleMessage, Page, Request, Response, WebError

from .helpers import goto, logged_in_client, submit

# Playwright's sync API runs an asyncio loop in the test thread; the ORM calls made by fixtures and
# tests are still plain synchronous calls, so Django's async-safety check would only get in the way.
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

HERE = Path(__file__).resolve().parent
CHROMIUM = "/usr/bin/chromium"
PASSWORD = "correct-horse-battery"  # the personas' password, see tests/conftest.py
HTMX_ERROR = re.compile(r"Response Status Error Code (?P<status>\d+) from (?P<path>[^\s,]+)")


def pytest_collection_modifyitems(items):
    for item in items:
        if item.path.is_relative_to(HERE):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Browser tests need Chromium at {CHROMIUM}: apt-get install -y chromium (see .ci/run).")
    return {
        "executable_path": CHROMIUM,
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session", autouse=True)
def _pictures_only_when_wanted():
    """Screenshots and printed PDFs go to screenshots/ for a person to look at; no test reads them back. With
    FII_SCREENSHOTS=0 (``make test`` sets it) they are not made: about 150 full-page pictures, a tenth of the
    browser tests' time. What a test checks around them (overflow, visibility) is checked either way."""
    if os.environ.get("FII_SCREENSHOTS", "1") != "0":
        yield
        return
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(Page, "screenshot", lambda self, **kwargs: b"")
        patch.setattr(Page, "pdf", lambda self, **kwargs: b"")
        yield


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args, live_server):
    # Relative URLs in page.goto() resolve against the live server; Dutch is the default language.
    return {**browser_context_args, "base_url": live_server.url, "locale": "nl-NL"}


@dataclass
class Problems:
    """What went wrong in the browser while a test ran."""

    origin: str
    found: list[str] = field(default_factory=list)
    expected: set[tuple[str, int]] = field(default_factory=set)

    def expect_status(self, path: str, status: int) -> None:
        """Declare an error response the test provokes on purpose, such as a 404 for an outsider."""
        self.expected.add((self.origin + path, status))

    def watch(self, context: BrowserContext) -> None:
        context.on("response", self._on_response)
        context.on("requestfailed", self._on_request_failed)
        context.on("console", self._on_console)
        context.on("weberror", self._on_web_error)

    def _same_origin(self, url: str) -> bool:
        return url == self.origin or url.startswith(self.origin + "/")

    def _on_response(self, response: Response) -> None:
        if (
            response.status >= 400
            and self._same_origin(response.url)
            and (response.url, response.status) not in self.expected
        ):
            self.found.append(f"HTTP {response.status} {response.request.method} {response.url}")

    def _on_request_failed(self, request: Request) -> None:
        # ERR_ABORTED means the page navigated on before a request (such as the favicon) finished.
        if self._same_origin(request.url) and request.failure != "net::ERR_ABORTED":
            self.found.append(f"request failed ({request.failure}): {request.method} {request.url}")

    def _on_console(self, message: ConsoleMessage) -> None:
        if message.type != "error":
            return
        # Chromium also logs every error response as "Failed to load resource: ... status of 404".
        url = message.location.get("url", "")
        if any(url == u and f"status of {status}" in message.text for u, status in self.expected):
            return
        # htmx logs every error answer too: "Response Status Error Code 401 from /path".
        logged = HTMX_ERROR.search(message.text)
        if logged and (self.origin + logged["path"], int(logged["status"])) in self.expected:
            return
        self.found.append(f"console error: {message.text} ({url})")

    def _on_web_error(self, error: WebError) -> None:
        self.found.append(f"uncaught error: {error.error}")


@pytest.fixture
def problems(live_server):
    found = Problems(origin=live_server.url)
    yield found
    if found.found:
        pytest.fail("The browser reported problems:\n" + "\n".join(found.found), pytrace=False)


def session_cookie(user, url: str) -> dict:
    """A logged-in session for ``user`` as a browser cookie: Django's test client logs in (the user_logged_in
    signal runs as for the form) and hands over its session cookie."""
    session = logged_in_client(user).cookies[settings.SESSION_COOKIE_NAME].value
    return {"name": settings.SESSION_COOKIE_NAME, "value": session, "url": url}


@pytest.fixture
def login_as(new_context, problems):
    """Log a user in; each call opens its own browser context (session) and lands on the start page ("/").

    A session cookie saves the login form's two requests where the form is not under test; ``via_form=True``
    types the e-mail address and password into the real login form (tests/browser/test_roles.py keeps doing so,
    the login and two-factor flows drive the form themselves). Other keyword arguments go to the browser
    context, e.g. ``viewport`` or ``device_scale_factor``.
    """

    def login(user, *, via_form: bool = False, **context_args) -> Page:
        context = new_context(**context_args)
        context.set_default_timeout(10_000)  # a local server answers quickly; fail fast when it does not
        problems.watch(context)
        if not via_form:
            context.add_cookies([session_cookie(user, problems.origin)])
        page = context.new_page()
        if via_form:
            goto(page, "/inloggen/")
            page.locator("#id_username").fill(user.email)
            page.locator("#id_password").fill(PASSWORD)
            submit(page)
        else:
            goto(page, "/")
        assert page.url.removeprefix(problems.origin) == "/", f"login failed, still on {page.url}"
        return page

    return login


@pytest.fixture
def logged_in_page(login_as, bewerker) -> Page:
    """The bewerker of Gemeente Testdam, logged in and looking at the portfolio."""
    return login_as(bewerker)
