"""Key figures, support and the implementation team (phase 4 and subphase 5a) in a real browser.

Selectors use URLs, ids, names and values rather than visible text where they can.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone, translation
from django.utils.formats import date_format
from playwright.sync_api import Page, expect

from trajectories import services

from .helpers import document_was_kept, follow, goto, htmx_request, mark_document, shot_fits, submit
from .test_accessibility import axe_violations, describe

VIEWPORT = {"width": 1280, "height": 800}


def _add_stakeholder(page: Page, trajectory, *, name, function, level, side, influence, support, desired="steunend"):
    goto(page, reverse("trajectories:stakeholder_add", args=[trajectory.pk]))
    page.locator("#id_name").fill(name)
    page.locator("#id_function").fill(function)
    page.locator("#id_side").select_option(side)
    page.locator("#id_level").select_option(level)
    page.locator("#id_influence").fill(str(influence))
    page.locator("#id_support").select_option(support)
    page.locator("#id_desired_support").select_option(desired)
    submit(page)


FIXED_TODAY = dt.date(2026, 11, 2)  # the clock of this test (the live server runs in this process)


def test_key_figures_map_radio_silence_and_a_team_of_three(login_as, problems, trajectory, bewerker, monkeypatch):
    # A fixed calendar day for every "today" in the app (radio silence, form defaults, date checks);
    # timezone.now stays real, so sessions and cookies behave as usual.
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: FIXED_TODAY)
    today = FIXED_TODAY
    # A key figure registered three months ago and last spoken to 60 days ago: past the 42-day threshold.
    stale = services.stakeholder_add(
        trajectory=trajectory,
        by=bewerker,
        person_fields={"name": "Wethouder Stil", "function": "Wethouder Zorg"},
        side="derden",
        level="wethouder",
        influence=5,
        support="neutraal",
        desired_support="steunend",
        at=timezone.make_aware(dt.datetime.combine(FIXED_TODAY - dt.timedelta(days=90), dt.time(9))),
    )
    services.contact_record(stakeholder=stale, by=bewerker, date=today - dt.timedelta(days=60), kind="gesprek")

    page = login_as(bewerker, viewport=VIEWPORT)
    _add_stakeholder(
        page,
        trajectory,
        name="Mira Beleid",
        function="Beleidsadviseur",
        level="beleidsmedewerker",
        side="gevend",
        influence=3,
        support="steunend",
    )
    _add_stakeholder(
        page,
        trajectory,
        name="Lars Manager",
        function="Teamleider",
        level="lijnmanager",
        side="ontvangend",
        influence=4,
        support="tegen",
    )
    _add_stakeholder(
        page,
        trajectory,
        name="Uma Uitvoerder",
        function="Wijkcoach",
        level="uitvoerder",
        side="ontvangend",
        influence=2,
        support="ambassadeur",
    )
    rows = page.locator("table.stakeholder-table tbody tr")
    expect(rows).to_have_count(4)
    shot_fits(page, "key-figures-register")

    # Bad input comes back (400) with a Dutch message next to the field, and the typed name kept.
    add_url = reverse("trajectories:stakeholder_add", args=[trajectory.pk])
    problems.expect_status(add_url, 400)
    goto(page, add_url)
    page.locator("#id_name").fill("Half Ingevuld")
    page.locator("#id_influence").fill("9")
    with page.expect_navigation() as navigation:
        page.locator("main button[type=submit]").click()
    assert navigation.value.status == 400  # the form comes back, with what was typed
    expect(page.locator("#id_influence_error")).to_contain_text("geheel getal van 1 tot 5")
    expect(page.locator("#id_name")).to_have_value("Half Ingevuld")

    # The map places all four (numbers 1–4) and the coverage shows the levels still missing.
    goto(page, reverse("trajectories:stakeholder_map", args=[trajectory.pk]))
    expect(page.locator("svg.stakeholder-map .stakeholder-map__marker")).to_have_count(4)
    expect(page.locator("table.stakeholder-map-table tbody tr")).to_have_count(4)
    expect(page.locator("table.coverage-table tr.coverage--missing")).to_have_count(3)  # projectleider, burger, extern
    expect(page.locator("table.coverage-table tr.coverage--no_support")).to_have_count(2)  # wethouder, lijnmanager
    shot_fits(page, "key-figures-map")

    # The stale key figure is flagged on the trajectory page and in the portfolio.
    goto(page, trajectory.get_absolute_url())
    card = page.locator(".key-figures-card")
    expect(card.locator(".silence-flag")).to_have_count(1)
    expect(card.locator(".silence-flag")).to_contain_text("Wethouder Stil")
    shot_fits(page, "key-figures-trajectory")
    goto(page, reverse("trajectories:portfolio"))
    expect(page.locator("details.silence-summary")).to_have_count(1)

    # Record a contact (htmx swaps the contacts part in place); the flag is gone.
    goto(page, reverse("trajectories:stakeholder", args=[trajectory.pk, stale.pk]))
    expect(page.locator("#silence-alert .alert-warning")).to_be_visible()
    mark_document(page)
    page.locator("#id_kind").select_option("telefoon")
    page.locator("#id_note").fill("Bijgepraat over de planning")
    with htmx_request(page, "POST"):
        page.locator("#contacts button[type=submit]").click()
    expect(page.locator("#contacts tbody tr").first).to_contain_text("Bijgepraat over de planning")
    assert document_was_kept(page)
    expect(page.locator("#silence-alert .alert-warning")).to_have_count(0)  # swapped out of band
    with translation.override("nl"):
        expect(page.locator("#last-contact")).to_have_text(date_format(today, "j F Y"))
    shot_fits(page, "key-figures-stakeholder")
    goto(page, trajectory.get_absolute_url())
    expect(page.locator(".key-figures-card .silence-flag")).to_have_count(0)
    goto(page, reverse("trajectories:portfolio"))
    expect(page.locator("details.silence-summary")).to_have_count(0)

    # A team of three from the register; nobody brings communication & marketing.
    members = {
        "Mira Beleid": ["leiderschap", "coordinatie"],
        "Lars Manager": ["inhoudelijk"],
        "Uma Uitvoerder": ["praktijk"],
    }
    for name, competencies in members.items():
        goto(page, reverse("trajectories:team_member_add", args=[trajectory.pk]))
        page.locator("#id_stakeholder").select_option(
            label=page.locator("#id_stakeholder option", has_text=name).inner_text()
        )
        for competency in competencies:
            page.locator(f"input[name=competencies][value={competency}]").check()
        submit(page)
    expect(page.locator("table.team-table tbody tr")).to_have_count(3)
    expect(page.locator(".team-checks .team-check--ok").first).to_be_visible()
    expect(page.locator(".competency--missing")).to_have_count(1)
    expect(page.locator(".competency--missing")).to_contain_text("Communicatie")
    expect(page.locator(".competency--covered")).to_have_count(4)
    expect(page.locator("ul.team-changes li")).to_have_count(3)
    shot_fits(page, "key-figures-team")

    # The phase report of Versterken carries the same map.
    follow(page, page.locator(f"a[href='{reverse('trajectories:stakeholder_map', args=[trajectory.pk])}']").first)
    goto(page, reverse("trajectories:phase_report", args=[trajectory.pk, "versterken"]))
    expect(page.locator("svg.stakeholder-map")).to_be_visible()
    # The report is laid out for A4; on a 320 px screen the map shrinks and the wide tables scroll inside their own
    # focusable region, so the page itself does not scroll sideways (checked by shot_fits).
    page.set_viewport_size({"width": 320, "height": 800})
    register = page.get_by_role("region", name="Belanghebbendenregister, meeste invloed eerst")
    expect(register).to_have_attribute("tabindex", "0")
    assert register.evaluate("r => r.scrollWidth > r.clientWidth")  # the table scrolls inside its region
    assert not describe("phase report at 320 px", axe_violations(page))
    page.set_viewport_size({"width": 1280, "height": 800})
    shot_fits(page, "key-figures-phase-report")

    # On a tablet the new pages fit the screen (wide tables scroll inside their own box).
    page.set_viewport_size({"width": 768, "height": 1024})
    for name in ("stakeholders", "stakeholder_map", "team"):
        goto(page, reverse(f"trajectories:{name}", args=[trajectory.pk]))
        scroll_width, inner_width = page.evaluate("[document.documentElement.scrollWidth, window.innerWidth]")
        assert scroll_width <= inner_width + 1, f"{name} is {scroll_width}px wide in a {inner_width}px window"
