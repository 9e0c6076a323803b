"""WCAG 2.1 AA in a real browser: axe-core over every page type, as each role, in Dutch and English.

axe-core is vendored in static/vendor/axe/ for these tests only (no template loads it). It is injected through
CDP (``page.evaluate``, then an init script of the browser context for every later page), which is not subject to
the page's Content Security Policy, so the policy stays as strict as in production. Every page is checked for a
200 (or the expected error) status first: axe would happily pass a 500 page.

The page list is derived from the permission matrix: every GET URL name whose expected status for the persona
is 200, except downloads (PDF, ICS, CSV/XLSX, JSON, the signed agreement) and plain-text endpoints.
"""

import datetime as dt
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation
from playwright.sync_api import Page

from tests.test_permissions import MATRIX
from trajectories import services

from .helpers import goto, logged_in_client

AXE_SOURCE = (Path(settings.BASE_DIR) / "static" / "vendor" / "axe" / "axe.min.js").read_text()
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
NOT_HTML = {
    "healthz",
    "security_txt",
    "trajectories:progress_report_pdf",
    "trajectories:phase_report_pdf",
    "trajectories:portfolio_report_pdf",
    "trajectories:learning_pdf",
    "trajectories:portfolio_export",
    "trajectories:actions_export",
    "trajectories:calendar_feed",
    "trajectories:trajectory_calendar_feed",
    "trajectories:agreement_document",
    "trajectories:person_export",
    "trajectories:trajectory_export",
    "trajectories:organisation_export",
    "organisations:audit_log_export",
    "trajectories:measurements_export",
    "account:job_file",
}
# Builders that change state other pages depend on (finalising the open review) run last.
LAST = ["trajectories:review_reopen"]
LANGUAGES = ["nl", "en"]
PERSONAS = ["lezer", "bewerker", "beheerder", "outsider"]
REFERENCE = "beheerder"  # sees every page type the other personas see (asserted)


def page_names(persona: str) -> list[str]:
    names = [
        name
        for name, (_args, method, expected) in MATRIX.items()
        if method == "get" and expected[persona] == 200 and name not in NOT_HTML
    ]
    return sorted(names, key=lambda name: (name in LAST, name))


def build_urls(names: list[str], trajectory, language: str) -> dict[str, str]:
    urls = {}
    for name in names:
        args_for = MATRIX[name][0]
        args = args_for(trajectory) if args_for else None
        with translation.override(language):
            urls[name] = reverse(name, args=args)
    return urls


# One round trip a page: axe runs if this document has it, else the answer is null and axe is put in first.
AXE_RUN = """tags => typeof window.axe === "undefined" ? null :
    axe.run(document, {runOnly: {type: "tag", values: tags}, resultTypes: ["violations"]})
        .then(r => r.violations.map(v => ({
            id: v.id, impact: v.impact, help: v.help,
            nodes: v.nodes.map(n => ({target: n.target.join(" "), html: n.html.slice(0, 160),
                                      summary: n.failureSummary}))})))"""


def axe_violations(page: Page) -> list[dict]:
    violations = page.evaluate(AXE_RUN, WCAG_TAGS)
    if violations is None:
        page.evaluate(AXE_SOURCE)
        if not getattr(page.context, "fii_axe_on_every_page", False):
            # From now on the context puts axe into every new document itself, before the page's own scripts:
            # V8 then compiles its 650 kB once and takes it from its cache for every later page (84 -> 16 ms a
            # page; a fifth of a whole-site walk).
            page.context.add_init_script(AXE_SOURCE)
            page.context.fii_axe_on_every_page = True
        violations = page.evaluate(AXE_RUN, WCAG_TAGS)
    return violations


def describe(where: str, violations: list[dict]) -> list[str]:
    lines = []
    for v in violations:
        lines.append(f"{where}: {v['id']} ({v['impact']}): {v['help']}")
        for node in v["nodes"][:5]:
            lines.append(f"    {node['target']}  {node['html']}")
        if len(v["nodes"]) > 5:
            lines.append(f"    … and {len(v['nodes']) - 5} more")
    return lines


def check(page: Page, path: str, found: list[str], *, status: int = 200, label: str = "") -> None:
    goto(page, path, status=status)
    found.extend(describe(label or path, axe_violations(page)))


def fail_on(found: list[str], checked: int) -> None:
    if found:
        pytest.fail(f"axe found violations ({checked} pages checked):\n" + "\n".join(found), pytrace=False)


def markup(client: Client, user, url: str) -> str:
    """The page as ``user`` gets it (after redirects, as the browser follows them), without what differs per
    request or per user and cannot change what axe finds: CSRF and one-time form tokens, the CSP nonce, the idle
    seconds left, and the user's own name and address (the same elements hold another user's)."""
    with translation.override(translation.get_language()):  # the client activates the page's language
        response = client.get(url, follow=True)
    assert response.status_code == 200, f"GET {url} as {user.email} answered {response.status_code}"
    html = response.content.decode()
    html = html.replace(user.full_name, "<the user>").replace(user.email, "<the address>")
    html = re.sub(r'(name="(?:csrfmiddlewaretoken|submission_token)" value=|"X-CSRFToken": )"[^"]*"', r'\1""', html)
    html = re.sub(r'nonce="[^"]*"', 'nonce=""', html)
    return re.sub(r'data-idle-seconds="\d+"', 'data-idle-seconds=""', html)


@pytest.mark.parametrize("language", LANGUAGES)
def test_every_page_type_passes_axe(login_as, personas, trajectory, language):
    """Every page type each persona sees passes axe, in both languages.

    Axe reads the markup, so one scan per distinct markup is enough. The beheerder (REFERENCE: the persona who
    sees every page type the others see, asserted) scans all its pages; the test client then takes the markup of
    each once, and every other persona scans only the pages whose markup (through the test client, each must
    answer 200) differs from the beheerder's. All personas share this test's database, so the comparison is
    between the same rows. GET requests change nothing the pages show (apart from the audit log, which only the
    beheerder sees): the order of visits does not matter. Then the builders of LAST run (they change what other
    pages show: finalising the open review), and the beheerder scans the pages whose markup changed since, then
    the LAST pages.
    """
    reference = personas[REFERENCE]
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=trajectory.created_by)
    everything = page_names(REFERENCE)
    assert len(everything) >= 30, everything
    first = [name for name in everything if name not in LAST]
    urls = build_urls(first, trajectory, language)
    found: list[str] = []

    page = login_as(reference)
    for name in first:
        check(page, urls[name], found, label=f"{REFERENCE}: {name} {urls[name]}")
    checked = len(first)
    as_reference = logged_in_client(reference)
    before = {name: markup(as_reference, reference, urls[name]) for name in first}

    for persona in PERSONAS:
        if persona == REFERENCE:
            continue
        user = personas[persona]
        names = page_names(persona)
        assert len(names) >= (5 if persona == "outsider" else 30), (persona, names)
        assert set(names) <= set(everything), (persona, set(names) - set(everything))
        as_user = logged_in_client(user)
        to_scan = [name for name in names if name not in LAST and markup(as_user, user, urls[name]) != before[name]]
        persona_page = login_as(user)
        for name in to_scan:
            check(persona_page, urls[name], found, label=f"{persona}: {name} {urls[name]}")
        checked += len(to_scan)

    urls.update(build_urls(LAST, trajectory, language))
    changed = [name for name in first if markup(as_reference, reference, urls[name]) != before[name]]
    for name in [*changed, *LAST]:
        check(page, urls[name], found, label=f"{REFERENCE}: {name} {urls[name]} (after {', '.join(LAST)})")
    checked += len(changed) + len(LAST)
    fail_on(found, checked)


@pytest.mark.parametrize("language", LANGUAGES)
def test_public_pages_pass_axe(page, language, problems, db):
    problems.watch(page.context)
    found: list[str] = []
    with translation.override(language):
        paths = [reverse("login"), reverse("accessibility")]
        missing = reverse("trajectories:detail", args=[999999])
    for path in paths:
        check(page, path, found)
    problems.expect_status(missing, 302)
    fail_on(found, len(paths))


@pytest.mark.parametrize("language", LANGUAGES)
def test_states_after_actions_pass_axe(login_as, bewerker, lezer, trajectory, problems, language):
    """Pages as they look after something happened: errors, a review in progress, a stale edit, 403 and 404."""
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=bewerker)
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=["verkennen"]
    )
    for item, colour in zip(review.items.all(), ["groen", "oranje", "rood"], strict=False):
        services.review_item_set(review_item=item, by=bewerker, colour=colour, note=f"Notitie {colour}")
    services.action_create(
        trajectory=trajectory, by=bewerker, description="Bellen", due_on=timezone.localdate() - dt.timedelta(days=3)
    )
    with translation.override(language):
        create_url = reverse("trajectories:create")
        edit_url = reverse("trajectories:edit", args=[trajectory.pk])
        review_url = reverse("trajectories:review", args=[trajectory.pk, review.pk])
        forbidden_url = reverse("trajectories:transition", args=[trajectory.pk])
        missing_url = reverse("trajectories:detail", args=[999999])
    found: list[str] = []
    page = login_as(bewerker)

    # A review with lights set, orange/red rows with their action forms open.
    check(page, review_url, found, label="review with lights set")

    # A form sent back with validation errors (the browser's own checks switched off to reach the server).
    goto(page, create_url)
    with page.expect_navigation():
        page.evaluate(
            "() => { const f = document.querySelector('main form[method=post]'); f.noValidate = true; "
            "f.requestSubmit(); }"
        )
    assert page.locator("main .is-invalid").count() > 0, "the empty form should come back with errors"
    found.extend(describe("form with validation errors", axe_violations(page)))

    # The stale edit: a colleague saved while this user was editing (409, both versions shown).
    goto(page, edit_url)
    trajectory.refresh_from_db()
    services.trajectory_update(
        trajectory=trajectory,
        by=lezer,
        expected_version=trajectory.version,
        fields={"title": "Schuldhulp Vroeg (bijgewerkt)"},
        participants=list(trajectory.participants.all()),
    )
    problems.expect_status(edit_url, 409)
    with page.expect_navigation() as navigation:
        page.locator("main form[method=post] button[type=submit]").first.click()
    assert navigation.value.status == 409
    found.extend(describe("409 stale edit", axe_violations(page)))

    # Error pages.
    problems.expect_status(missing_url, 404)
    check(page, missing_url, found, status=404, label="404")
    lezer_page = login_as(lezer)
    problems.expect_status(forbidden_url, 403)
    check(lezer_page, forbidden_url, found, status=403, label="403")
    fail_on(found, 5)


def test_axe_reports_a_planted_violation(page, problems, db):
    """Guards the guard: an unlabelled field added to a page must be reported."""
    problems.watch(page.context)
    plant = "document.querySelector('main').insertAdjacentHTML('beforeend', '<input type=text>')"
    goto(page, reverse("accessibility"))
    page.evaluate(plant)
    assert "label" in {v["id"] for v in axe_violations(page)}  # axe put in by hand
    goto(page, reverse("login"))
    assert page.evaluate("typeof window.axe") == "object"  # ... and by the context on every later page
    assert axe_violations(page) == []
    page.evaluate(plant)
    assert "label" in {v["id"] for v in axe_violations(page)}


def test_axe_is_for_tests_only():
    templates = Path(settings.BASE_DIR) / "templates"
    assert not [p for p in templates.rglob("*.html") if "vendor/axe" in p.read_text()], "a template loads axe-core"


@pytest.mark.parametrize("language", LANGUAGES)
def test_statement_is_public_and_linked_from_every_page(client, trajectory, bewerker, language):
    # The test client activates each response's language in this thread; the override puts it back after.
    with translation.override(language):
        statement = reverse("accessibility")
        pages = [reverse("login"), reverse("trajectories:progress_report", args=[trajectory.pk])]
        response = client.get(statement)
        assert response.status_code == 200
        assert "WCAG 2.1" in response.content.decode() and "axe-core" in response.content.decode()
        assert f'href="{statement}"' in client.get(pages[0]).content.decode()  # the login page, anonymous
        client.force_login(bewerker)
        for path in [*pages[1:], statement]:
            assert f'href="{statement}"' in client.get(path).content.decode(), path
