"""Stoplight reviews: derived lights, carry-over, cadence, locking, templates and query budgets."""

import datetime as dt

import pytest
from django.urls import reverse
from pytest_django.asserts import assertContains, assertNotContains

from fii.checklists import DEFAULT_CHECKLISTS
from fii.model import Phase
from organisations.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory
from trajectories import selectors, services
from trajectories.charts import light_counts, trend_chart
from trajectories.models import (
    Action,
    ChecklistItem,
    ChecklistTemplateItem,
    Review,
    ReviewEvent,
    ReviewItem,
    Trajectory,
    overall_light,
)
from trajectories.selectors_people import trajectory_people

TODAY = dt.date(2026, 11, 23)


def start(trajectory, by, held_on=TODAY, **kwargs):
    return services.review_start(
        trajectory=trajectory, by=by, held_on=held_on, phases=[trajectory.current_phase], **kwargs
    )


def colour_all(review, by, *colours):
    items = list(review.items.order_by("position"))
    for ri, colour in zip(items, colours, strict=False):
        services.review_item_set(review_item=ri, by=by, colour=colour)
    return items


@pytest.mark.parametrize(
    ("colours", "expected"),
    [
        ([], ""),
        (["groen", "groen"], "groen"),
        (["groen", ""], ""),  # never silently green
        (["groen", "oranje", ""], "oranje"),
        (["rood", "oranje", "groen", ""], "rood"),
        (["", ""], ""),
    ],
)
def test_overall_light_is_derived_red_then_orange_then_grey_then_green(colours, expected):
    assert overall_light(colours) == expected


def test_review_stores_its_derived_overall_light(trajectory, bewerker):
    review = start(trajectory, bewerker)
    assert review.overall_light == ""
    colour_all(review, bewerker, *["groen"] * 6)
    review.refresh_from_db()
    assert review.overall_light == "groen"
    colour_all(review, bewerker, "groen", "rood")
    review.refresh_from_db()
    assert review.overall_light == "rood"


def test_phase_start_copies_the_default_checklist(trajectory):
    texts = list(ChecklistItem.objects.filter(trajectory=trajectory, phase="verkennen").values_list("text", flat=True))
    assert len(texts) == len(DEFAULT_CHECKLISTS["verkennen"])
    # Stored in Dutch, the product's language.
    assert texts[0] == "Er is een shortlist van twee tot vier kandidaat-organisaties."


def test_next_review_carries_colours_and_open_actions_over(client, trajectory, bewerker):
    first = start(trajectory, bewerker, held_on=TODAY - dt.timedelta(days=14))
    items = colour_all(first, bewerker, "groen", "oranje", "rood")
    services.action_create(
        trajectory=trajectory, review=first, item=items[2].item, by=bewerker, description="Directeur bellen"
    )
    services.review_finalise(review=first, by=bewerker)

    second = start(trajectory, bewerker)
    carried = list(second.items.order_by("position").values_list("colour", "carried_colour"))
    assert carried[:4] == [("groen", "groen"), ("oranje", "oranje"), ("rood", "rood"), ("", "")]
    assert second.overall_light == "rood"

    client.force_login(bewerker)
    response = client.get(second.get_absolute_url())
    assertContains(response, "Directeur bellen")
    red_row = next(ri for ri in response.context["items"] if ri.colour == "rood")
    assert [a.description for a in red_row.open_actions] == ["Directeur bellen"]


def test_retired_items_leave_the_next_review_but_keep_their_history(trajectory, bewerker):
    first = start(trajectory, bewerker, held_on=TODAY - dt.timedelta(days=14))
    items = colour_all(first, bewerker, "oranje")
    services.review_finalise(review=first, by=bewerker)
    retired = items[0].item
    services.checklist_item_retire(item=retired)
    services.checklist_item_reword(item=items[1].item, text="Nieuwe formulering", subphase="2a")

    second = start(trajectory, bewerker)
    assert not second.items.filter(item=retired).exists()
    assert second.items.filter(text="Nieuwe formulering").exists()
    assert ReviewItem.objects.get(review=first, item=retired).colour == "oranje"
    # The first review keeps the wording it used.
    assert not first.items.filter(text="Nieuwe formulering").exists()


def test_only_one_open_review_per_trajectory(client, trajectory, bewerker):
    review = start(trajectory, bewerker)
    with pytest.raises(services.ReviewError):
        start(trajectory, bewerker)
    client.force_login(bewerker)
    response = client.get(reverse("trajectories:review_start", args=[trajectory.pk]))
    assert response.status_code == 302
    assert response["Location"] == review.get_absolute_url()


def test_start_review_form_defaults_to_the_current_phase_and_keeps_input_on_error(client, trajectory, bewerker):
    client.force_login(bewerker)
    url = reverse("trajectories:review_start", args=[trajectory.pk])
    assert client.get(url).context["form"].initial["phases"] == ["verkennen"]
    response = client.post(url, {"held_on": "", "other_attendees": "Wethouder Jansen"})
    assertContains(response, "Vul de datum van de bespreking in.")
    assertContains(response, "Kies ten minste één fase.")
    assertContains(response, "Wethouder Jansen")
    response = client.post(
        url,
        {"held_on": "2026-11-20", "phases": ["verkennen", "innoveren"], "present": [f"u{bewerker.pk}"]},
    )
    review = Review.objects.get()
    assert response["Location"] == review.get_absolute_url()
    assert review.phases == ["verkennen", "innoveren"]
    # Innoveren had not started; its checklist was made for the review.
    assert review.items.filter(item__phase="innoveren").count() == len(DEFAULT_CHECKLISTS["innoveren"])
    assert list(review.attendees.all()) == [bewerker]


# Cadence and overdue detection, with a fixed clock.


def annotated(trajectory):
    return selectors.with_review_summary(Trajectory.objects.filter(pk=trajectory.pk)).get()


@pytest.mark.parametrize(
    ("interval", "last", "next_on"),
    [
        ("tweewekelijks", dt.date(2026, 11, 2), dt.date(2026, 11, 16)),
        ("maandelijks", dt.date(2026, 10, 31), dt.date(2026, 11, 30)),
        ("per_kwartaal", dt.date(2026, 8, 15), dt.date(2026, 11, 15)),
    ],
)
def test_next_review_follows_the_last_by_the_interval(trajectory, bewerker, interval, last, next_on):
    Trajectory.objects.filter(pk=trajectory.pk).update(review_interval=interval)
    services.review_finalise(review=start(trajectory, bewerker, held_on=last), by=bewerker)
    cadence = selectors.cadence(annotated(trajectory), today=TODAY)
    assert cadence.last_review_on == last
    assert cadence.next_review_on == next_on
    assert cadence.is_overdue == (next_on < TODAY)


def test_overdue_only_after_the_due_date_and_only_for_active_trajectories(trajectory, bewerker):
    services.review_finalise(review=start(trajectory, bewerker, held_on=dt.date(2026, 11, 9)), by=bewerker)
    t = annotated(trajectory)
    assert selectors.cadence(t, today=dt.date(2026, 11, 23)).is_overdue is False  # due today
    late = selectors.cadence(t, today=dt.date(2026, 11, 26))
    assert late.is_overdue
    assert late.days_overdue == 3
    Trajectory.objects.filter(pk=trajectory.pk).update(status="gepauzeerd")
    assert selectors.cadence(annotated(trajectory), today=dt.date(2026, 12, 31)).is_overdue is False


def test_before_the_first_review_the_interval_counts_from_the_phase_start(municipality, bewerker):
    started = dt.datetime(2026, 11, 1, 9, 0, tzinfo=dt.UTC)
    trajectory = make_trajectory(owner=municipality, by=bewerker, at=started)
    cadence = selectors.cadence(annotated(trajectory), today=TODAY)
    assert cadence.last_review_on is None
    assert cadence.next_review_on == dt.date(2026, 11, 15)
    assert cadence.is_overdue


def test_portfolio_and_trajectory_flag_overdue_reviews_and_show_the_light_trend(client, trajectory, bewerker):
    today = dt.date.today()
    first = start(trajectory, bewerker, held_on=today - dt.timedelta(days=30))
    colour_all(first, bewerker, *["groen"] * 6)
    services.review_finalise(review=first, by=bewerker)
    second = start(trajectory, bewerker, held_on=today - dt.timedelta(days=20))
    colour_all(second, bewerker, "rood")
    services.review_finalise(review=second, by=bewerker)

    client.force_login(bewerker)
    portfolio = client.get(reverse("trajectories:portfolio"))
    assertContains(portfolio, "bespreking te laat")
    assertContains(portfolio, "slechter")
    detail = client.get(trajectory.get_absolute_url())
    assertContains(detail, "bespreking te laat")


def test_the_trend_compares_reviews_of_the_same_phase_only(client, trajectory, bewerker):
    """A green review of one phase and a red one of the next are no step down: the page says "new phase"."""
    today = dt.date.today()
    phases = [p for p in Phase.values if p != trajectory.current_phase]
    first = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=today - dt.timedelta(days=30), phases=[phases[0]]
    )
    colour_all(first, bewerker, *["groen"] * 40)
    services.review_finalise(review=first, by=bewerker)
    second = start(trajectory, bewerker, held_on=today - dt.timedelta(days=20))
    colour_all(second, bewerker, *["rood"] * 40)
    services.review_finalise(review=second, by=bewerker)

    t = annotated(trajectory)
    assert (t.last_review_phases, t.previous_review_phases) == ([trajectory.current_phase], [phases[0]])
    selectors.add_light_summaries([t])
    assert t.light_trend == "new_phase"
    client.force_login(bewerker)
    for url in (reverse("trajectories:portfolio"), trajectory.get_absolute_url()):
        page = client.get(url)
        assertContains(page, "nieuwe fase")
        assertNotContains(page, "slechter")

    # A second review of the same phase is compared with the first of that phase again.
    third = start(trajectory, bewerker, held_on=today - dt.timedelta(days=10))
    colour_all(third, bewerker, *["groen"] * 40)
    services.review_finalise(review=third, by=bewerker)
    t = annotated(trajectory)
    selectors.add_light_summaries([t])
    assert t.light_trend == "better"
    assert selectors.light_trend("rood", "groen", latest_phases=["borgen"], previous_phases=["borgen"]) == "worse"
    assert selectors.light_trend("rood", "groen", latest_phases=["borgen"], previous_phases=["innoveren"]) == (
        "new_phase"
    )


# Concurrent editing: optimistic locking.


def test_stale_light_is_refused_and_fresh_one_saved(trajectory, bewerker, beheerder):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    services.review_item_set(review_item=ri, by=bewerker, colour="rood", expected_colour="")
    with pytest.raises(services.StaleEdit) as stale:
        services.review_item_set(review_item=ri, by=beheerder, colour="oranje", expected_colour="")
    assert stale.value.current.colour == "rood"
    assert stale.value.fields == ["colour"]
    ri.refresh_from_db()
    assert ri.colour == "rood"
    # Having seen red, the second user may overwrite it.
    services.review_item_set(review_item=ri, by=beheerder, colour="oranje", expected_colour="rood")
    ri.refresh_from_db()
    assert ri.colour == "oranje"


def test_light_and_note_by_two_people_on_the_same_item_are_both_kept(trajectory, bewerker, beheerder):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    services.review_item_set(review_item=ri, by=bewerker, colour="oranje", expected_colour="")
    services.review_item_set(review_item=ri, by=beheerder, note="Wacht op budget", expected_note="")
    ri.refresh_from_db()
    assert (ri.colour, ri.note) == ("oranje", "Wacht op budget")


def test_stale_note_in_the_browser_keeps_the_users_text_and_shows_theirs(client, trajectory, bewerker, beheerder):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    services.review_item_set(review_item=ri, by=beheerder, note="Hun notitie", expected_note="")
    client.force_login(bewerker)
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk])
    response = client.post(url, {"note": "Mijn notitie", "expected_note": ""})
    assert response.status_code == 409
    assertContains(response, "Hun notitie", status_code=409)
    assertContains(response, "Mijn notitie</textarea>", status_code=409)
    assertContains(response, "niet opgeslagen", status_code=409)
    ri.refresh_from_db()
    assert ri.note == "Hun notitie"
    # htmx gets the cell with the same warning, with a status htmx swaps.
    response = client.post(url, {"note": "Mijn notitie", "expected_note": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    assertContains(response, 'id="note-' + str(ri.pk))
    assertContains(response, "Hun notitie")
    assertContains(response, 'name="expected_note" value="Hun notitie"')


def test_stale_review_details_are_refused_with_both_versions_kept(client, trajectory, bewerker, beheerder):
    review = start(trajectory, bewerker)
    services.review_update(
        review=review,
        by=beheerder,
        expected_version=review.version,
        held_on=TODAY,
        summary="Samenvatting van de ander",
        other_attendees="",
        attendees=[],
    )
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:review_edit", args=[trajectory.pk, review.pk]),
        {"version": 1, "held_on": "2026-11-23", "summary": "Mijn samenvatting"},
    )
    assert response.status_code == 409
    assertContains(response, "Samenvatting van de ander", status_code=409)
    assertContains(response, "Mijn samenvatting", status_code=409)
    review.refresh_from_db()
    assert review.summary == "Samenvatting van de ander"


# htmx and plain POST on the meeting page.


def test_light_click_with_htmx_returns_the_cell_and_the_overall_light(client, trajectory, bewerker):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    client.force_login(bewerker)
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk])
    response = client.post(url, {"colour": "rood", "expected_colour": ""}, headers={"HX-Request": "true"})
    assert response.status_code == 200
    body = response.content.decode()
    assert body.lstrip().startswith(f'<td id="light-{ri.pk}" data-light="rood">')
    assert 'id="review-overall"' in body and 'hx-swap-oob="true"' in body
    assert "<html" not in body


def test_light_click_without_javascript_redirects_back_to_the_item(client, trajectory, bewerker):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk]), {"colour": "groen"}
    )
    assert response["Location"] == f"{review.get_absolute_url()}#item-{ri.pk}"
    ri.refresh_from_db()
    assert ri.colour == "groen"
    assert ri.note == ""  # a light click never blanks the note


# The light change's hot path (issue 21): the service locks the review of this trajectory and reads the item.

HTMX = {"HX-Request": "true"}


def _meeting_rows():
    """What a light change writes besides the item: its history rows and its audit rows of a change that stands
    (a refused attempt is logged too, as such)."""
    from organisations.models import AuditEvent

    changes = AuditEvent.objects.filter(object_type="trajectories.ReviewItem", result=AuditEvent.Result.SUCCESS)
    return ReviewItem.history_records.count(), changes.count()


def test_light_change_costs_a_fixed_number_of_statements(client, trajectory, bewerker, django_assert_num_queries):
    review = start(trajectory, bewerker)
    first, second = colour_all(review, bewerker, "rood", "groen")[:2]
    client.force_login(bewerker)
    warm_up = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, first.pk])
    assert client.post(warm_up, {"colour": "rood"}, headers=HTMX).status_code == 200  # caches the memberships
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, second.pk])
    # session, user, trajectory (with the right to edit), review locked, item with its checklist item, UPDATE,
    # history row, audit row, the trajectory's revision, the colours for the overall light (still red: no write).
    with django_assert_num_queries(10):
        response = client.post(url, {"colour": "oranje", "expected_colour": "groen"}, headers=HTMX)
    assert response.status_code == 200
    assert f'id="light-{second.pk}" data-light="oranje"' in response.text
    second.refresh_from_db()
    assert second.colour == "oranje"


def test_note_change_costs_a_fixed_number_of_statements(client, trajectory, bewerker, django_assert_num_queries):
    review = start(trajectory, bewerker)
    item = review.items.first()
    client.force_login(bewerker)
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, item.pk])
    assert client.post(url, {"note": "Eerst"}, headers=HTMX).status_code == 200  # caches the memberships
    # As a light change, without the colours for the overall light: the note cell shows no checklist item.
    with django_assert_num_queries(9):
        response = client.post(url, {"note": "Bellen", "expected_note": "Eerst"}, headers=HTMX)
    assert response.status_code == 200
    assert f'id="note-{item.pk}"' in response.text and "Bellen" in response.text
    item.refresh_from_db()
    assert item.note == "Bellen"


@pytest.mark.parametrize("data", [{"colour": "rood"}, {"colour": "paars"}, {"note": "Niet hier"}])
def test_light_change_through_another_trajectory_is_404_and_changes_nothing(
    client, trajectory, municipality, bewerker, data
):
    """The URL's trajectory is one the user may edit, the review or item belongs to another (also editable)."""
    other = make_trajectory(owner=municipality, by=bewerker, title="Ander traject")
    mine, theirs = start(trajectory, bewerker), start(other, bewerker)
    my_item, their_item = mine.items.first(), theirs.items.first()
    before = _meeting_rows()
    client.force_login(bewerker)
    for review, item in ((theirs, their_item), (mine, their_item), (theirs, my_item)):
        url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, item.pk])
        assert client.post(url, data, headers=HTMX).status_code == 404
    for item in (my_item, their_item):
        item.refresh_from_db()
        assert (item.colour, item.note) == ("", "")
    assert _meeting_rows() == before
    assert Review.objects.get(pk=theirs.pk).version == theirs.version


@pytest.mark.parametrize("data", [{"colour": "rood"}, {"colour": "paars"}, {"note": "Te laat"}])
def test_light_change_on_a_finalised_review_gets_the_locked_answer(client, trajectory, bewerker, data):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    services.review_finalise(review=review, by=bewerker)
    before = _meeting_rows()
    client.force_login(bewerker)
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk])
    response = client.post(url, data, headers=HTMX)
    assert (response.status_code, response.get("HX-Refresh")) == (200, "true")
    response = client.post(url, data)
    assert (response.status_code, response["Location"]) == (302, review.get_absolute_url())
    assert "intussen afgerond" in client.get(review.get_absolute_url()).text
    ri.refresh_from_db()
    assert (ri.colour, ri.note) == ("", "")
    assert _meeting_rows() == before


def test_review_item_set_names_the_item_one_way(trajectory, bewerker):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    with pytest.raises(TypeError):
        services.review_item_set(review_item=ri, trajectory=trajectory, by=bewerker, colour="rood")
    with pytest.raises(TypeError):
        services.review_item_set(trajectory=trajectory, review_id=review.pk, by=bewerker, colour="rood")
    saved = services.review_item_set(
        trajectory=trajectory, review_id=review.pk, review_item_id=ri.pk, by=bewerker, colour="rood"
    )
    assert (saved.colour, saved.review.overall_light, saved.item.pk) == ("rood", "rood", ri.item_id)


def test_invalid_action_keeps_the_input_and_says_what_is_missing(client, trajectory, bewerker):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    client.force_login(bewerker)
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk])
    data = {"op": "action_add", f"a{ri.pk}-description": "", f"a{ri.pk}-due_on": "2026-12-01"}
    response = client.post(url, data, headers={"HX-Request": "true"})
    assertContains(response, "Beschrijf wat er moet gebeuren.")
    assertContains(response, 'value="2026-12-01"')
    data[f"a{ri.pk}-description"] = "Offerte opvragen"
    data[f"a{ri.pk}-assignee"] = f"u{bewerker.pk}"
    response = client.post(url, data, headers={"HX-Request": "true"})
    assertContains(response, "Offerte opvragen")
    action = Action.objects.get()
    assert (action.item, action.review, action.assignee) == (ri.item, review, bewerker)


def test_finalised_review_is_read_only_until_a_beheerder_reopens_it(client, trajectory, bewerker, beheerder):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    client.force_login(bewerker)
    client.post(reverse("trajectories:review_finalise", args=[trajectory.pk, review.pk]), {"confirmed": "1"})
    review.refresh_from_db()
    assert review.is_final and review.finalised_by == bewerker
    client.post(reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk]), {"colour": "rood"})
    ri.refresh_from_db()
    assert ri.colour == ""
    with pytest.raises(services.ReviewLocked):
        services.review_item_set(review_item=ri, by=bewerker, colour="rood")
    page = client.get(review.get_absolute_url())
    assertNotContains(page, "light-picker__button")
    reopen_url = reverse("trajectories:review_reopen", args=[trajectory.pk, review.pk])
    assert client.post(reopen_url, {"reason": "Fout"}).status_code == 403

    client.force_login(beheerder)
    response = client.post(reopen_url, {"reason": ""})
    assertContains(response, "Geef een reden")
    client.post(reopen_url, {"reason": "Verkeerde kleur bij punt 1"})
    review.refresh_from_db()
    assert not review.is_final
    assert list(review.events.values_list("kind", "reason")) == [
        ("afgerond", ""),
        ("heropend", "Verkeerde kleur bij punt 1"),
    ]
    with pytest.raises(ValueError, match="append-only"):
        review.events.first().delete()


def test_reopen_is_refused_while_a_newer_review_is_open(trajectory, bewerker, beheerder):
    old = start(trajectory, bewerker, held_on=TODAY - dt.timedelta(days=14))
    services.review_finalise(review=old, by=bewerker)
    start(trajectory, bewerker)
    with pytest.raises(services.ReviewError):
        services.review_reopen(review=old, by=beheerder, reason="Correctie")
    assert ReviewEvent.objects.filter(kind="heropend").count() == 0


def test_two_beheerders_reopening_at_once_leave_one_reopened_event(trajectory, bewerker, beheerder):
    # Both requests load the finalised review before either saves (bench/concurrent_reviews.py checks
    # the same under load). The second must be refused, not record a second re-opening.
    review = start(trajectory, bewerker)
    services.review_finalise(review=review, by=bewerker)
    first, second = Review.objects.get(pk=review.pk), Review.objects.get(pk=review.pk)
    services.review_reopen(review=first, by=beheerder, reason="Correctie")
    with pytest.raises(services.ReviewError):
        services.review_reopen(review=second, by=beheerder, reason="Ook correctie")
    assert ReviewEvent.objects.filter(review=review, kind="heropend").count() == 1


# Actions.


def test_action_lists_filter_open_overdue_and_done(client, trajectory, bewerker, outsider_org):
    today = dt.date.today()
    services.action_create(trajectory=trajectory, by=bewerker, description="Op tijd", due_on=today)
    services.action_create(trajectory=trajectory, by=bewerker, description="Te laat", due_on=today - dt.timedelta(1))
    done = services.action_create(trajectory=trajectory, by=bewerker, description="Klaar")
    services.action_close(action=done, by=bewerker, note="Gebeld", expected_version=done.version)
    elders = make_trajectory(owner=outsider_org, title="Elders")
    services.action_create(trajectory=elders, by=None, description="Niet van ons")

    client.force_login(bewerker)
    url = reverse("trajectories:actions", args=[trajectory.pk])

    def descriptions(response):
        return [a.description for a in response.context["page"].object_list]

    assert descriptions(client.get(url)) == ["Te laat", "Op tijd"]
    assert descriptions(client.get(url, {"status": "overdue"})) == ["Te laat"]
    assert descriptions(client.get(url, {"status": "done"})) == ["Klaar"]
    mine = client.get(reverse("trajectories:my_actions"))
    assert descriptions(mine) == ["Te laat", "Op tijd"]
    assertNotContains(mine, "Niet van ons")


def test_closing_an_action_with_a_stale_version_is_refused(client, trajectory, bewerker, beheerder):
    action = services.action_create(trajectory=trajectory, by=bewerker, description="Bellen")
    services.action_update(
        action=action, by=beheerder, expected_version=1, description="Mailen", assignee=None, due_on=None
    )
    client.force_login(bewerker)
    url = reverse("trajectories:action", args=[trajectory.pk, action.pk])
    response = client.post(url, {"op": "close", "note": "Gedaan", "version": 1})
    assert response.status_code == 409
    assertContains(response, "Mailen", status_code=409)
    assertContains(response, "Gedaan", status_code=409)
    action.refresh_from_db()
    assert action.is_open
    client.post(url, {"op": "close", "note": "Gedaan", "version": action.version})
    action.refresh_from_db()
    assert not action.is_open and action.closing_note == "Gedaan"


# Templates per organisation.


def test_templates_are_isolated_between_organisations(client, municipality, outsider_org, beheerder, outsider):
    client.force_login(beheerder)
    url = reverse("trajectories:template", args=[municipality.pk, "verkennen"])
    client.post(url, {"text": "Wethouder is geïnformeerd", "subphase": "2c"})
    own = ChecklistTemplateItem.objects.filter(organisation=municipality, phase="verkennen")
    assert own.count() == len(DEFAULT_CHECKLISTS["verkennen"]) + 1
    assert not ChecklistTemplateItem.objects.filter(organisation=outsider_org).exists()

    ours = make_trajectory(owner=municipality, title="Ons traject")
    theirs = make_trajectory(owner=outsider_org, title="Hun traject")
    assert ours.checklist_items.filter(text="Wethouder is geïnformeerd").exists()
    assert not theirs.checklist_items.filter(text="Wethouder is geïnformeerd").exists()
    assert theirs.checklist_items.count() == len(DEFAULT_CHECKLISTS["verkennen"])

    # Another organisation's beheerder can neither see nor change our template.
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    item = own.first()
    response = client.post(reverse("trajectories:template_item", args=[outsider_org.pk, item.pk]), {"op": "retire"})
    assert response.status_code == 404
    assert (
        client.post(
            reverse("trajectories:template_item", args=[municipality.pk, item.pk]), {"op": "retire"}
        ).status_code
        == 404
    )
    item.refresh_from_db()
    assert not item.is_retired


def test_template_changes_do_not_touch_checklists_already_copied(municipality, beheerder, trajectory):
    before = list(trajectory.checklist_items.values_list("text", flat=True))
    services.template_customise(organisation=municipality, phase="verkennen")
    for item in ChecklistTemplateItem.objects.filter(organisation=municipality):
        services.checklist_item_retire(item=item)
    assert list(trajectory.checklist_items.values_list("text", flat=True)) == before


def test_template_reword_error_keeps_the_input(client, municipality, beheerder):
    services.template_customise(organisation=municipality, phase="borgen")
    item = ChecklistTemplateItem.objects.filter(organisation=municipality, phase="borgen").first()
    client.force_login(beheerder)
    response = client.post(
        reverse("trajectories:template_item", args=[municipality.pk, item.pk]),
        {"op": "reword", f"item{item.pk}-text": "", f"item{item.pk}-subphase": "6a"},
    )
    assert response.status_code == 400
    assertContains(response, "Schrijf op wat er aan het eind van de fase op orde moet zijn.", status_code=400)


def test_checklist_items_reorder_retire_and_restore(client, trajectory, bewerker):
    first, second = ChecklistItem.objects.filter(trajectory=trajectory, phase="verkennen")[:2]
    client.force_login(bewerker)
    url = reverse("trajectories:checklist_item", args=[trajectory.pk, second.pk])
    client.post(url, {"op": "up"})
    order = list(ChecklistItem.objects.filter(trajectory=trajectory, phase="verkennen").values_list("pk", flat=True))
    assert order[:2] == [second.pk, first.pk]
    client.post(url, {"op": "retire"})
    second.refresh_from_db()
    assert second.is_retired
    client.post(url, {"op": "restore"})
    second.refresh_from_db()
    assert not second.is_retired
    client.post(
        reverse("trajectories:checklist", args=[trajectory.pk, "verkennen"]), {"text": "Extra punt", "subphase": ""}
    )
    assert ChecklistItem.objects.filter(trajectory=trajectory, phase="verkennen").last().text == "Extra punt"


# Trend chart.


def test_trend_chart_stacks_the_lights_of_each_review(trajectory, bewerker):
    first = start(trajectory, bewerker, held_on=TODAY - dt.timedelta(days=14))
    colour_all(first, bewerker, "groen", "groen", "oranje", "rood")
    services.review_finalise(review=first, by=bewerker)
    second = start(trajectory, bewerker)
    colour_all(second, bewerker, "groen", "groen", "groen", "oranje", "groen", "groen")
    reviews = [second, first]
    chart = trend_chart(reviews, light_counts(reviews))
    assert [c.review for c in chart.columns] == [first, second]  # oldest left
    assert {s.css: s.count for s in chart.columns[0].segments} == {"groen": 2, "oranje": 1, "rood": 1, "grijs": 2}
    assert {s.css: s.count for s in chart.columns[1].segments} == {"groen": 5, "oranje": 1}
    # Six items fill the plot; segment heights are proportional.
    heights = {s.css: s.height for s in chart.columns[1].segments}
    assert heights["groen"] == pytest.approx(5 * heights["oranje"], abs=0.2)


def test_review_list_shows_the_chart_readable_without_colour(client, trajectory, bewerker):
    review = start(trajectory, bewerker)
    colour_all(review, bewerker, "rood")
    client.force_login(bewerker)
    response = client.get(reverse("trajectories:reviews", args=[trajectory.pk]))
    assertContains(response, 'class="trend-chart"')
    assertContains(response, 'fill="url(#pat-rood)"')
    assertContains(response, "<caption>Aantal checklistpunten per licht, per bespreking</caption>")


# Query budgets: constant in the number of items, reviews and trajectories.


def grow(trajectory, by, *, reviews, extra_items):
    for n in range(extra_items):
        services.checklist_item_add(owner=trajectory, phase=trajectory.current_phase, text=f"Extra {n}", by=by)
    for n in range(reviews):
        review = start(trajectory, by, held_on=TODAY - dt.timedelta(days=14 * (reviews - n)))
        colour_all(review, by, "groen", "oranje", "rood")
        ri = review.items.last()
        services.action_create(trajectory=trajectory, review=review, item=ri.item, by=by, description=f"Actie {n}")
        services.review_finalise(review=review, by=by)
    return start(trajectory, by)


@pytest.mark.parametrize(("reviews", "extra_items"), [(1, 0), (8, 20)])
def test_review_pages_query_budget(client, trajectory, bewerker, django_assert_max_num_queries, reviews, extra_items):
    review = grow(trajectory, bewerker, reviews=reviews, extra_items=extra_items)
    client.force_login(bewerker)
    with django_assert_max_num_queries(12):
        assert client.get(review.get_absolute_url()).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("trajectories:reviews", args=[trajectory.pk])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("trajectories:checklist", args=[trajectory.pk, "verkennen"])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("trajectories:actions", args=[trajectory.pk])).status_code == 200
    ri = review.items.first()
    with django_assert_max_num_queries(22):
        client.post(
            reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk]),
            {"colour": "rood"},
            headers={"HX-Request": "true"},
        )


@pytest.mark.parametrize("count", [2, 12])
def test_portfolio_query_budget_with_reviews(client, municipality, bewerker, django_assert_max_num_queries, count):
    for n in range(count):
        t = make_trajectory(owner=municipality, by=bewerker, title=f"Traject {n:02d}")
        grow(t, bewerker, reviews=2, extra_items=0)
    client.force_login(bewerker)
    with django_assert_max_num_queries(10):
        assert client.get(reverse("trajectories:portfolio")).status_code == 200
    with django_assert_max_num_queries(8):
        assert client.get(reverse("trajectories:my_actions")).status_code == 200


def test_people_of_a_trajectory_include_editors_of_participating_organisations(trajectory, bewerker, lezer, outsider):
    partner = OrganisationFactory(name="Partner")
    colleague = MembershipFactory(user=UserFactory(full_name="Anna Partner"), organisation=partner, role=Role.BEWERKER)
    trajectory.participants.add(partner)
    members = {option.user for option in trajectory_people(trajectory) if option.has_account}
    assert {bewerker, colleague.user} <= members
    assert outsider not in members and lezer not in members


# Found in review: edge cases of the meeting.


def test_note_with_line_breaks_saved_without_javascript_can_be_edited_with_htmx(client, trajectory, bewerker):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    client.force_login(bewerker)
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk])
    client.post(url, {"note": "regel een\r\nregel twee", "expected_note": ""})
    ri.refresh_from_db()
    assert ri.note == "regel een\nregel twee"
    # The hidden copy comes back with LF (or CRLF): either way it is the same note, not a conflict.
    response = client.post(
        url, {"note": "nieuw", "expected_note": "regel een\r\nregel twee"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    ri.refresh_from_db()
    assert ri.note == "nieuw"


def test_click_on_a_review_finalised_meanwhile_reloads_the_page(client, trajectory, bewerker, beheerder):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    services.review_finalise(review=review, by=beheerder)
    client.force_login(bewerker)
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk])
    response = client.post(url, {"colour": "rood"}, headers={"HX-Request": "true"})
    assert response.headers["HX-Refresh"] == "true"
    ri.refresh_from_db()
    assert ri.colour == ""


def test_summary_typed_while_a_colleague_finalised_is_shown_again(client, trajectory, bewerker, beheerder):
    review = start(trajectory, bewerker)
    services.review_finalise(review=review, by=beheerder)
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:review_edit", args=[trajectory.pk, review.pk]),
        {"version": review.version, "held_on": TODAY.isoformat(), "summary": "Mijn lange samenvatting"},
    )
    assert response.status_code == 409
    assertContains(response, "Mijn lange samenvatting", status_code=409)


def test_finalising_stores_the_light_derived_from_all_items(trajectory, bewerker):
    review = start(trajectory, bewerker)
    colour_all(review, bewerker, *["groen"] * 6)
    Review.objects.filter(pk=review.pk).update(overall_light="rood")  # as if two saves had raced
    services.review_finalise(review=review, by=bewerker)
    review.refresh_from_db()
    assert review.overall_light == "groen"


def test_a_review_cannot_be_dated_in_the_future(client, trajectory, bewerker):
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:review_start", args=[trajectory.pk]),
        {"held_on": (dt.date.today() + dt.timedelta(days=1)).isoformat(), "phases": ["verkennen"]},
    )
    assertContains(response, "Een bespreking kan niet in de toekomst liggen.")
    assert not Review.objects.exists()


def test_light_summary_uses_finalised_reviews_and_ignores_grey(trajectory, bewerker):
    today = dt.date.today()
    first = start(trajectory, bewerker, held_on=today - dt.timedelta(days=7))
    colour_all(first, bewerker, *["oranje"] * 6)
    services.review_finalise(review=first, by=bewerker)
    start(trajectory, bewerker, held_on=today)  # open, half filled in
    t = annotated(trajectory)
    assert t.last_review_on == today
    assert (t.last_review_light, t.previous_review_light) == ("oranje", None)
    assert selectors.light_trend("oranje", "") == ""
    assert selectors.light_trend("rood", "oranje") == "worse"


def test_first_own_item_of_an_empty_phase_comes_on_top_of_the_template(client, trajectory, bewerker):
    client.force_login(bewerker)
    client.post(reverse("trajectories:checklist", args=[trajectory.pk, "borgen"]), {"text": "Eigen punt"})
    texts = list(ChecklistItem.objects.filter(trajectory=trajectory, phase="borgen").values_list("text", flat=True))
    assert len(texts) == len(DEFAULT_CHECKLISTS["borgen"]) + 1
    assert texts[-1] == "Eigen punt"


def test_marking_done_an_action_a_colleague_closed_shows_the_current_list(client, trajectory, bewerker, beheerder):
    review = start(trajectory, bewerker)
    ri = review.items.first()
    action = services.action_create(trajectory=trajectory, review=review, item=ri.item, by=bewerker, description="X")
    services.action_close(action=action, by=beheerder, note="", expected_version=action.version)
    client.force_login(bewerker)
    url = reverse("trajectories:review_item", args=[trajectory.pk, review.pk, ri.pk])
    response = client.post(
        url, {"op": "action_close", "action": action.pk, "version": 1}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 200
    assertContains(response, "Een collega heeft deze actie intussen gewijzigd")
    assert client.post(url, {"op": "action_close", "action": "abc"}).status_code == 400


def test_reader_sees_an_action_but_cannot_change_it(client, trajectory, bewerker, lezer):
    action = services.action_create(trajectory=trajectory, by=bewerker, description="Bellen")
    client.force_login(lezer)
    url = reverse("trajectories:action", args=[trajectory.pk, action.pk])
    response = client.get(url)
    assertContains(response, "Bellen")
    assertNotContains(response, 'name="op" value="close"')
    assert client.post(url, {"op": "close", "note": "", "version": 1}).status_code == 403


def test_item_history_reads_only_the_latest_reviews(trajectory, bewerker):
    from trajectories.charts import item_histories

    for n in range(10):
        review = start(trajectory, bewerker, held_on=TODAY - dt.timedelta(days=14 * (10 - n)))
        colour_all(review, bewerker, "rood" if n < 5 else "groen")
        services.review_finalise(review=review, by=bewerker)
    item = ChecklistItem.objects.filter(trajectory=trajectory).first()
    history = item_histories([item.pk])[item.pk]
    assert len(history) == 8
    assert [h.review.held_on for h in history] == sorted(h.review.held_on for h in history)
    assert history[-1].review.held_on == TODAY - dt.timedelta(days=14)
    assert [h.colour for h in history[-5:]] == ["groen"] * 5
