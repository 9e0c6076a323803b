"""The foundation flow in a real browser: create a trajectory, work on a subphase, move a phase."""

import re

from django.urls import reverse
from playwright.sync_api import expect

from trajectories.models import Progress, SubphaseState, Trajectory

from .helpers import document_was_kept, follow, goto, htmx_request, mark_document, reload, submit

TITLE = "Vroeg Eropaf Testdam"
NOTE = "Shortlist: Stichting Welzijn Testdam en Buurtteam Oost; beide hebben al huisbezoeken."
COMPLETION_NOTE = "Overeenkomst met Stichting Welzijn Testdam getekend."
REASON = "Ontvangende organisatie gekozen in stuurgroep"


def test_create_trajectory_edit_subphase_and_move_phase(logged_in_page, live_server):
    page = logged_in_page

    # Create: the start point is recommended from the two answers, swapped in by htmx.
    goto(page, reverse("trajectories:create"))
    mark_document(page)
    recommendation = page.locator("#start-point").get_by_role("status")
    for name in ("has_commissioner", "receiving_identified"):
        with htmx_request(page):
            page.locator(f"input[name={name}][value=yes]").check()
    expect(recommendation).to_contain_text("Innoveren")
    with htmx_request(page):
        page.locator("input[name=receiving_identified][value=no]").check()
    expect(recommendation).to_contain_text("Verkennen")
    expect(recommendation).not_to_contain_text("Innoveren")
    assert document_was_kept(page), "answering the start-point questions reloaded the page"

    page.locator("#id_title").fill(TITLE)
    submit(page)
    trajectory = Trajectory.objects.get(title=TITLE)
    assert trajectory.current_phase == "verkennen"
    assert page.url == live_server.url + trajectory.get_absolute_url()
    expect(page.get_by_role("heading", level=1)).to_have_text(TITLE)

    # Subphase 2a: the edit form and the saved notes replace the section in place.
    phase_url = reverse("trajectories:phase", args=[trajectory.pk, "verkennen"])
    follow(page, page.locator(f".current-phase a[href='{phase_url}']"))
    assert page.url == live_server.url + phase_url
    mark_document(page)
    section = page.locator("#subphase-2a")
    with htmx_request(page):
        section.locator("a[hx-get]").click()
    section.locator("textarea[name=notes]").fill(NOTE)
    section.locator("select[name=status]").select_option(Progress.BEZIG)
    with htmx_request(page, "POST"):
        section.locator("button[type=submit]").click()
    expect(section.locator("textarea")).to_have_count(0)
    expect(section).to_contain_text(NOTE)
    assert page.url == live_server.url + phase_url
    assert document_was_kept(page), "editing subphase 2a loaded another page instead of swapping in place"
    assert SubphaseState.objects.get(trajectory=trajectory, subphase="2a").notes == NOTE

    reload(page)
    expect(page.locator("#subphase-2a")).to_contain_text(NOTE)

    # Transition: complete Verkennen and move on to Innoveren, with a reason for the timeline.
    transition_url = reverse("trajectories:transition", args=[trajectory.pk])
    follow(page, page.locator(f"main a[href='{transition_url}']"))
    page.locator("select[name=to_phase]").select_option("innoveren")
    page.locator("input[name=complete_current]").check()
    page.locator("textarea[name=completion_note]").fill(COMPLETION_NOTE)
    page.locator("textarea[name=reason]").fill(REASON)
    page.locator("input[name=confirm_open_points]").check()  # its checklist was not assessed
    submit(page)
    assert page.url.startswith(live_server.url + trajectory.get_absolute_url())

    expect(page.locator("#timeline-list")).to_contain_text(REASON)
    expect(page.locator(".phase-bar__step--current")).to_contain_text("Innoveren")
    expect(page.locator("#current-phase-heading")).to_contain_text("Innoveren")
    trajectory.refresh_from_db()
    assert trajectory.current_phase == "innoveren"


def test_invalid_create_form_shows_errors_and_keeps_input(logged_in_page, live_server):
    page = logged_in_page
    create_url = reverse("trajectories:create")
    goto(page, create_url)
    with htmx_request(page):
        page.locator("input[name=has_commissioner][value=yes]").check()
    with htmx_request(page):
        page.locator("input[name=receiving_identified][value=no]").check()
    page.locator("#id_intervention_name").fill("Vroeg Eropaf")
    page.locator("#id_commissioner").fill("Wethouder Sociaal Domein")
    page.locator("#id_start_date").fill("2026-05-01")
    page.locator("#id_end_date").fill("2026-04-01")

    submit(page, redirects=False)

    assert page.url == live_server.url + create_url
    for field in ("title", "end_date"):
        field_input = page.locator(f"#id_{field}")
        expect(field_input).to_contain_class("is-invalid")
        expect(field_input).to_have_attribute("aria-invalid", "true")
        error = page.locator(f"#div_id_{field} .invalid-feedback")
        expect(error).to_be_visible()
        expect(error).not_to_be_empty()
        expect(field_input).to_have_accessible_description(re.compile(r"\w"))
    for field in ("intervention_name", "commissioner", "start_date"):
        expect(page.locator(f"#id_{field}")).not_to_contain_class("is-invalid")
    expect(page.locator("#id_intervention_name")).to_have_value("Vroeg Eropaf")
    expect(page.locator("#id_commissioner")).to_have_value("Wethouder Sociaal Domein")
    expect(page.locator("#id_start_date")).to_have_value("2026-05-01")
    expect(page.locator("#id_end_date")).to_have_value("2026-04-01")
    expect(page.locator("input[name=has_commissioner][value=yes]")).to_be_checked()
    expect(page.locator("input[name=receiving_identified][value=no]")).to_be_checked()
    assert not Trajectory.objects.exists()
