"""Phase 4 and subphase 5a: the stakeholder register, map, coverage, radio silence, report-backs and the team."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from pytest_django.asserts import assertContains, assertNotContains

from organisations.models import Person
from tests.factories import make_trajectory
from trajectories import key_figures, services
from trajectories.access import persons_visible_to
from trajectories.models import (
    Competency,
    Contact,
    Stakeholder,
    SupportChange,
    TeamChange,
    TeamMember,
    Trajectory,
)

TODAY = dt.date(2026, 11, 23)
AT = dt.datetime(2026, 9, 1, 10, 0, tzinfo=dt.UTC)  # registered long before TODAY


def add(
    trajectory,
    by,
    name="Fenna de Vries",
    *,
    level="wethouder",
    side="derden",
    influence=5,
    support="neutraal",
    desired="steunend",
    at=AT,
    **person,
):
    return services.stakeholder_add(
        trajectory=trajectory,
        by=by,
        person_fields={"name": name, **person},
        side=side,
        level=level,
        influence=influence,
        support=support,
        desired_support=desired,
        at=at,
    )


def review(trajectory, by, held_on, present=(), finalise=True):
    r = services.review_start(
        trajectory=trajectory,
        by=by,
        held_on=held_on,
        phases=[trajectory.current_phase],
        stakeholders_present=present,
    )
    if finalise:
        services.review_finalise(review=r, by=by)
    return r


# The register (4a) ---------------------------------------------------------------------------


def test_adding_a_stakeholder_creates_a_person_kept_by_the_giving_organisation(trajectory, bewerker):
    s = add(trajectory, bewerker, function="Wethouder Zorg", email="f.devries@example.nl")
    assert s.person.organisation == trajectory.owner
    assert s.person.email == "f.devries@example.nl"
    assert list(s.support_changes.values_list("from_support", "to_support")) == [("", "neutraal")]


def test_a_person_is_in_a_register_once_but_may_be_in_several_trajectories(trajectory, bewerker, municipality):
    s = add(trajectory, bewerker)
    with pytest.raises(ValidationError):
        services.stakeholder_add(
            trajectory=trajectory,
            by=bewerker,
            person=s.person,
            side="derden",
            level="wethouder",
            influence=3,
            support="onbekend",
            desired_support="steunend",
        )
    other = make_trajectory(owner=municipality, by=bewerker, title="Tweede")
    services.stakeholder_add(
        trajectory=other,
        by=bewerker,
        person=s.person,
        side="derden",
        level="wethouder",
        influence=3,
        support="onbekend",
        desired_support="steunend",
    )
    assert s.person.stakeholder_roles.count() == 2


@pytest.mark.parametrize(
    ("field", "value"),
    [("influence", 0), ("influence", 6), ("side", "x"), ("level", "x"), ("support", "x"), ("desired_support", "x")],
)
def test_database_refuses_invalid_register_values(trajectory, bewerker, field, value):
    s = add(trajectory, bewerker)
    setattr(s, field, value)
    with pytest.raises(IntegrityError), transaction.atomic():
        s.save()


def test_add_form_keeps_input_and_explains_errors_in_dutch(client, trajectory, bewerker):
    client.force_login(bewerker)
    url = reverse("trajectories:stakeholder_add", args=[trajectory.pk])
    response = client.post(
        url,
        {
            "name": "",
            "function": "Beleidsadviseur",
            "side": "gevend",
            "level": "beleidsmedewerker",
            "influence": "7",
            "support": "steunend",
            "desired_support": "ambassadeur",
        },
    )
    assert response.status_code == 400
    assertContains(response, "Vul de naam van de persoon in", status_code=400)
    assertContains(response, "geheel getal van 1 tot 5", status_code=400)
    assertContains(response, 'value="Beleidsadviseur"', status_code=400)
    assert not Stakeholder.objects.exists()
    response = client.post(
        url,
        {
            "name": "Sem Bakker",
            "function": "Beleidsadviseur",
            "side": "gevend",
            "level": "beleidsmedewerker",
            "influence": "3",
            "support": "steunend",
            "desired_support": "ambassadeur",
            "email": "sem@example.nl",
        },
    )
    assert response.status_code == 302
    assert Stakeholder.objects.get().person.name == "Sem Bakker"


def test_existing_persons_offered_are_only_those_the_user_may_see(client, trajectory, bewerker, outsider, outsider_org):
    elsewhere = make_trajectory(owner=outsider_org, by=outsider, title="Elders")
    hidden = add(elsewhere, outsider, "Geheime Persoon").person
    mine = make_trajectory(owner=trajectory.owner, by=bewerker, title="Ander traject")
    known = add(mine, bewerker, "Bekende Persoon").person
    assert set(persons_visible_to(bewerker)) == {known}
    client.force_login(bewerker)
    page = client.get(reverse("trajectories:stakeholder_add", args=[trajectory.pk]))
    assertContains(page, "Bekende Persoon")
    assertNotContains(page, "Geheime Persoon")
    # Choosing a hidden person by id is refused as an invalid choice.
    response = client.post(
        reverse("trajectories:stakeholder_add", args=[trajectory.pk]),
        {
            "person": hidden.pk,
            "side": "gevend",
            "level": "uitvoerder",
            "influence": "2",
            "support": "neutraal",
            "desired_support": "steunend",
        },
    )
    assert response.status_code == 400
    assert not trajectory.stakeholders.exists()


def test_outsider_gets_404_on_a_stakeholder_of_another_trajectory(client, trajectory, bewerker, outsider):
    s = add(trajectory, bewerker)
    client.force_login(outsider)
    assert client.get(s.get_absolute_url()).status_code == 404
    # A stakeholder id from another trajectory is not found under this one either.
    other = make_trajectory(owner=trajectory.owner, by=bewerker, title="Ander")
    client.force_login(bewerker)
    assert client.get(reverse("trajectories:stakeholder", args=[other.pk, s.pk])).status_code == 404


def test_support_changes_are_kept_as_history_and_shown_as_a_trend(client, trajectory, bewerker):
    s = add(trajectory, bewerker)
    client.force_login(bewerker)
    data = {
        "name": "Fenna de Vries",
        "side": "derden",
        "level": "wethouder",
        "influence": "5",
        "support": "steunend",
        "desired_support": "ambassadeur",
        "reason": "Na werkbezoek overtuigd",
        "version": s.version,
        "person_version": s.person.version,
    }
    assert client.post(reverse("trajectories:stakeholder_edit", args=[trajectory.pk, s.pk]), data).status_code == 302
    s.refresh_from_db()
    s.person.refresh_from_db()
    data.update(notes="Alleen een notitie", version=s.version, person_version=s.person.version)
    client.post(reverse("trajectories:stakeholder_edit", args=[trajectory.pk, s.pk]), data)
    history = list(s.support_changes.values_list("from_support", "to_support", "reason"))
    assert history == [("", "neutraal", ""), ("neutraal", "steunend", "Na werkbezoek overtuigd")]
    change = SupportChange.objects.last()
    with pytest.raises(ValueError, match="append-only"):
        change.save()
    page = client.get(s.get_absolute_url())
    assertContains(page, 'class="support-trend"')
    assertContains(page, "Na werkbezoek overtuigd")
    assert key_figures.support_direction(list(s.support_changes.all())) == "up"
    register = client.get(reverse("trajectories:stakeholders", args=[trajectory.pk]))
    assertContains(register, "gestegen")


# Map and coverage ------------------------------------------------------------------------------


def test_map_places_stakeholders_by_influence_and_support_and_names_the_quadrants(client, trajectory, bewerker):
    add(trajectory, bewerker, "Hoog Tegen", influence=5, support="tegen")
    add(trajectory, bewerker, "Hoog Voor", level="lijnmanager", side="ontvangend", influence=4, support="ambassadeur")
    add(trajectory, bewerker, "Laag Onbekend", level="uitvoerder", side="gevend", influence=1, support="onbekend")
    client.force_login(bewerker)
    response = client.get(reverse("trajectories:stakeholder_map", args=[trajectory.pk]))
    m = response.context["map"]
    assert [(n, s.person.name, placed) for n, s, placed in m.entries] == [
        (1, "Hoog Tegen", True),
        (2, "Hoog Voor", True),
        (3, "Laag Onbekend", False),
    ]
    win_over = next(q for q in m.quadrants if q.label == "Overtuigen")
    tegen = next(mk for mk in m.markers if mk.number == 1)
    assert win_over.x <= tegen.x <= win_over.x + win_over.width
    assert win_over.y <= tegen.y <= win_over.y + win_over.height
    html = response.content.decode()
    for name in ("Overtuigen", "Sleutelspelers", "Volgen", "Informeren"):
        assert name in html
    assert "<polygon" in html and "<rect" in html  # side shown by shape, not only colour
    assertContains(response, "niet op de kaart")
    assertContains(response, "<caption>De belanghebbenden op de kaart</caption>")
    assert 'fill="#' in html and "30,0" not in html


def test_coverage_shows_levels_without_key_figures_and_without_support(trajectory, bewerker):
    add(trajectory, bewerker, "W", level="wethouder", support="steunend")
    add(trajectory, bewerker, "L", level="lijnmanager", side="ontvangend", support="tegen")
    rows = {row.level: row for row in key_figures.coverage(trajectory.stakeholders.all())}
    assert rows["wethouder"].status == "covered"
    assert rows["wethouder"].cells == [0, 0, 1]
    assert rows["lijnmanager"].status == "no_support"
    assert rows["lijnmanager"].cells == [0, 1, 0]
    assert rows["uitvoerder"].status == "missing"


def test_coverage_page_marks_missing_levels_in_text(client, trajectory, bewerker):
    add(trajectory, bewerker, "W", level="wethouder", support="steunend")
    client.force_login(bewerker)
    response = client.get(reverse("trajectories:stakeholders", args=[trajectory.pk]))
    assertContains(response, "Nog geen sleutelfiguur gevonden", count=6)
    assertContains(response, "Steun aanwezig", count=1)


# Radio silence (4b), with a fixed clock ---------------------------------------------------------


def flags(trajectory, **kwargs):
    return key_figures.radio_silence([trajectory.pk], today=TODAY, **kwargs).get(trajectory.pk, [])


def test_key_figure_without_contact_for_longer_than_the_threshold_is_flagged(trajectory, bewerker):
    s = add(trajectory, bewerker)
    add(trajectory, bewerker, "Weinig Invloed", level="uitvoerder", influence=3)
    services.contact_record(stakeholder=s, by=bewerker, date=TODAY - dt.timedelta(days=42), kind="gesprek")
    assert flags(trajectory, days=42) == []  # exactly the threshold: not yet
    flagged = flags(trajectory, days=41)
    assert [f.stakeholder for f in flagged] == [s]
    assert flagged[0].last_contact == TODAY - dt.timedelta(days=42)
    assert flagged[0].stale and not flagged[0].attendance_dropped
    services.contact_record(stakeholder=s, by=bewerker, date=TODAY, kind="telefoon")
    assert flags(trajectory, days=41) == []


def test_the_threshold_is_a_setting(trajectory, bewerker, settings):
    s = add(trajectory, bewerker)
    services.contact_record(stakeholder=s, by=bewerker, date=TODAY - dt.timedelta(days=20), kind="gesprek")
    settings.FII_RADIO_SILENCE_DAYS = 42
    assert flags(trajectory) == []
    settings.FII_RADIO_SILENCE_DAYS = 14
    assert len(flags(trajectory)) == 1


def test_without_any_contact_the_registration_date_counts(trajectory, bewerker):
    add(trajectory, bewerker, at=timezone.make_aware(dt.datetime(2026, 11, 1, 12)))
    assert flags(trajectory, days=42) == []
    (flag,) = flags(trajectory, days=14)
    assert flag.last_contact is None
    assert flag.days_silent == 22


def test_presence_at_a_stoplight_review_counts_as_contact(trajectory, bewerker):
    s = add(trajectory, bewerker)
    assert len(flags(trajectory, days=42)) == 1
    review(trajectory, bewerker, TODAY - dt.timedelta(days=3), present=[s])
    assert flags(trajectory, days=42) == []


def test_paused_trajectories_are_not_watched(trajectory, bewerker):
    add(trajectory, bewerker)
    Trajectory.objects.filter(pk=trajectory.pk).update(status="gepauzeerd")
    assert flags(trajectory, days=1) == []


@pytest.mark.parametrize(
    ("before", "recent", "dropped"),
    [
        ([1, 1, 1], [1, 1, 0], True),  # 3 of 3, then 2 of 3
        ([1, 0, 0], [0, 0, 0], True),
        ([1, 1, 0], [0, 1, 1], False),  # same number
        ([0, 0, 0], [1, 0, 0], False),
    ],
)
def test_attendance_dropped_compares_the_last_three_finalised_reviews_with_the_three_before(
    trajectory, bewerker, before, recent, dropped
):
    s = add(trajectory, bewerker)
    # Oldest first; the latest review is 2 days ago, so the contact itself is recent for every case
    # with presence in the newest review; a fresh contact keeps "stale" out of the picture.
    for n, present in enumerate(before + recent):
        review(trajectory, bewerker, TODAY - dt.timedelta(days=7 * (6 - n)), present=[s] if present else [])
    services.contact_record(stakeholder=s, by=bewerker, date=TODAY, kind="gesprek")
    result = flags(trajectory, days=42, window=3)
    assert bool(result) is dropped
    if dropped:
        assert result[0].attendance_dropped and not result[0].stale
        assert (result[0].attended_recent, result[0].attended_before) == (sum(recent), sum(before))


def test_attendance_needs_two_full_windows_and_ignores_open_reviews(trajectory, bewerker):
    s = add(trajectory, bewerker)
    for n in range(5):
        review(trajectory, bewerker, TODAY - dt.timedelta(days=7 * (6 - n)), present=[s] if n < 3 else [])
    services.contact_record(stakeholder=s, by=bewerker, date=TODAY, kind="gesprek")
    assert flags(trajectory, days=42, window=3) == []  # five finalised reviews: not enough to compare
    review(trajectory, bewerker, TODAY - dt.timedelta(days=1), finalise=False)
    assert flags(trajectory, days=42, window=3) == []
    assert len(flags(trajectory, days=42, window=2)) == 1  # 0 of the last 2 against 2 of the 2 before


def test_flags_appear_on_the_trajectory_page_and_portfolio_and_go_after_contact(client, trajectory, bewerker):
    s = add(trajectory, bewerker, "Stille Wethouder", at=timezone.now() - dt.timedelta(days=90))
    client.force_login(bewerker)
    detail = client.get(trajectory.get_absolute_url())
    assertContains(detail, "Radiostilte")
    assertContains(detail, "Stille Wethouder")
    portfolio = client.get(reverse("trajectories:portfolio"))
    assertContains(portfolio, "Radiostilte: 1 sleutelfiguur")
    response = client.post(
        reverse("trajectories:contact_add", args=[trajectory.pk, s.pk]),
        {"date": timezone.localdate().isoformat(), "kind": "gesprek", "note": "Bijgepraat"},
    )
    assert response.status_code == 302
    assertNotContains(client.get(trajectory.get_absolute_url()), "Radiostilte")
    assertNotContains(client.get(reverse("trajectories:portfolio")), "Radiostilte")


def test_review_form_marks_key_figures_present(client, trajectory, bewerker):
    s = add(trajectory, bewerker)
    r = review(trajectory, bewerker, timezone.localdate(), finalise=False)
    client.force_login(bewerker)
    url = reverse("trajectories:review_edit", args=[trajectory.pk, r.pk])
    assertContains(client.get(url), f'value="p{s.pk}"')
    response = client.post(
        url,
        {
            "held_on": timezone.localdate().isoformat(),
            "version": r.version,
            "present": [f"p{s.pk}"],
            "summary": "",
        },
    )
    assert response.status_code == 302
    assert list(r.stakeholders_present.all()) == [s]
    page = client.get(s.get_absolute_url())
    assertContains(page, "Aanwezig bij stoplichtbesprekingen")
    assertContains(page, r.get_absolute_url())


# Contacts and report-backs ---------------------------------------------------------------------


def test_contact_via_htmx_returns_the_contacts_part_and_refuses_future_dates(client, trajectory, bewerker):
    s = add(trajectory, bewerker)
    client.force_login(bewerker)
    url = reverse("trajectories:contact_add", args=[trajectory.pk, s.pk])
    response = client.post(
        url,
        {"date": timezone.localdate().isoformat(), "kind": "overleg", "note": "Stuurgroep"},
        headers={"HX-Request": "true"},
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section id="contacts"')
    assert "Stuurgroep" in html and "Contact vastgelegd" in html
    future = (timezone.localdate() + dt.timedelta(days=3)).isoformat()
    response = client.post(url, {"date": future, "kind": "overleg", "note": "Te vroeg"})
    assert response.status_code == 400
    assertContains(response, "Deze datum ligt in de toekomst", status_code=400)
    assertContains(response, "Te vroeg", status_code=400)
    assert Contact.objects.count() == 1


def test_report_back_is_recorded_and_readers_cannot_add(client, trajectory, bewerker, lezer):
    s = add(trajectory, bewerker)
    client.force_login(bewerker)
    url = reverse("trajectories:report_backs", args=[trajectory.pk])
    response = client.post(url, {"reported_on": "2026-11-20", "stakeholder": s.pk, "content": ""})
    assertContains(response, "Schrijf op wat aan de opdrachtgever is teruggekoppeld", status_code=400)
    assert (
        client.post(
            url, {"reported_on": "2026-11-20", "stakeholder": s.pk, "content": "Steun wethouder niet te herstellen"}
        ).status_code
        == 302
    )
    assertContains(client.get(url), "Steun wethouder niet te herstellen")
    client.force_login(lezer)
    assert client.post(url, {"reported_on": "2026-11-20", "content": "x"}).status_code == 403
    assert trajectory.report_backs.count() == 1


# The implementation team (5a) --------------------------------------------------------------------


def test_team_of_three_shows_size_sides_and_missing_competencies(client, trajectory, bewerker):
    a = add(trajectory, bewerker, "Anna", level="projectleider", side="gevend")
    b = add(trajectory, bewerker, "Bram", level="lijnmanager", side="ontvangend")
    c = add(trajectory, bewerker, "Cas", level="uitvoerder", side="ontvangend")
    services.team_member_add(
        trajectory=trajectory, by=bewerker, stakeholder=a, competencies=["leiderschap", "coordinatie"]
    )
    services.team_member_add(trajectory=trajectory, by=bewerker, stakeholder=b, competencies=["inhoudelijk"])
    summary = key_figures.team_summary(list(TeamMember.objects.filter(trajectory=trajectory)))
    assert summary.size == 2 and summary.size_ok
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:team_member_add", args=[trajectory.pk]),
        {
            "stakeholder": c.pk,
            "team_role": "Aandachtsfunctionaris",
            "competencies": ["praktijk"],
            "joined_on": "2026-11-01",
        },
    )
    assert response.status_code == 302
    page = client.get(reverse("trajectories:team", args=[trajectory.pk]))
    summary = page.context["summary"]
    assert summary.size == 3 and summary.has_giving and summary.has_receiving
    assert summary.missing == [Competency.COMMUNICATIE]
    assertContains(page, "binnen de geadviseerde 2–3")
    assertContains(
        page, '<p class="competency-gap"><strong>Ontbreekt:</strong> Communicatie &amp; marketing.</p>', html=False
    )


def test_leaving_the_team_is_logged_and_a_member_cannot_be_added_twice(client, trajectory, bewerker):
    a = add(trajectory, bewerker, "Anna", level="projectleider", side="gevend")
    member = services.team_member_add(trajectory=trajectory, by=bewerker, stakeholder=a, joined_on=dt.date(2026, 10, 1))
    with pytest.raises(ValidationError):
        services.team_member_add(trajectory=trajectory, by=bewerker, stakeholder=a)
    client.force_login(bewerker)
    url = reverse("trajectories:team_member", args=[trajectory.pk, member.pk])
    response = client.post(url, {"op": "leave", "left_on": "2026-09-01", "reason": "x"})
    assertContains(response, "kan het team niet verlaten voordat", status_code=400)
    assert client.post(url, {"op": "leave", "left_on": "2026-11-01", "reason": "Andere baan"}).status_code == 302
    kinds = list(TeamChange.objects.filter(trajectory=trajectory).order_by("on").values_list("kind", "reason"))
    assert kinds == [("erbij", ""), ("eraf", "Andere baan")]
    page = client.get(reverse("trajectories:team", args=[trajectory.pk]))
    assertContains(page, "heeft het team verlaten")
    assert page.context["summary"].size == 0
    # Re-joining after leaving is allowed and logged again.
    services.team_member_add(trajectory=trajectory, by=bewerker, stakeholder=a)
    assert TeamChange.objects.filter(trajectory=trajectory).count() == 3


def test_mandate_is_recorded_with_who_gave_it(client, trajectory, bewerker):
    client.force_login(bewerker)
    url = reverse("trajectories:team_mandate", args=[trajectory.pk])
    data = {"sufficient": "on", "note": "Directeur Werk en Inkomen, brief 3 nov", "version": 0}  # no mandate yet
    assert client.post(url, data).status_code == 302
    page = client.get(reverse("trajectories:team", args=[trajectory.pk]))
    assertContains(page, "Voldoende mandaat")
    assertContains(page, "Directeur Werk en Inkomen")


# Reports and query budgets -------------------------------------------------------------------------


def test_phase_report_of_versterken_has_the_map_and_the_register(client, trajectory, bewerker):
    add(trajectory, bewerker, "Kaart Persoon", support="steunend")
    client.force_login(bewerker)
    response = client.get(reverse("trajectories:phase_report", args=[trajectory.pk, "versterken"]))
    assertContains(response, 'class="stakeholder-map"')
    assertContains(response, "Kaart Persoon")
    assertContains(response, "Dekking per niveau en kant")


def grow(trajectory, by, n):
    for i in range(n):
        s = add(
            trajectory,
            by,
            f"Persoon {i:02d}",
            level=["wethouder", "uitvoerder", "lijnmanager"][i % 3],
            influence=1 + i % 5,
            support=["tegen", "neutraal", "steunend", "onbekend"][i % 4],
        )
        services.contact_record(stakeholder=s, by=by, date=TODAY, kind="gesprek")
        if i < 3:
            services.team_member_add(trajectory=trajectory, by=by, stakeholder=s, competencies=["leiderschap"])
    review(trajectory, by, timezone.localdate(), present=list(trajectory.stakeholders.all()[:2]))


@pytest.mark.parametrize("count", [3, 25])
def test_key_figure_pages_query_budget(client, trajectory, bewerker, django_assert_max_num_queries, count):
    grow(trajectory, bewerker, count)
    client.force_login(bewerker)
    s = trajectory.stakeholders.first()
    for name, args in [
        ("trajectories:stakeholders", [trajectory.pk]),
        ("trajectories:stakeholder_map", [trajectory.pk]),
        ("trajectories:team", [trajectory.pk]),
        ("trajectories:stakeholder", [trajectory.pk, s.pk]),
        ("trajectories:detail", [trajectory.pk]),
    ]:
        with django_assert_max_num_queries(12):
            assert client.get(reverse(name, args=args)).status_code == 200


@pytest.mark.parametrize("count", [2, 12])
def test_portfolio_query_budget_with_key_figures(client, municipality, bewerker, django_assert_max_num_queries, count):
    for n in range(count):
        t = make_trajectory(owner=municipality, by=bewerker, title=f"Traject {n:02d}")
        add(t, bewerker, f"Stil {n}")
    client.force_login(bewerker)
    with django_assert_max_num_queries(10):
        response = client.get(reverse("trajectories:portfolio"))
    assertContains(response, "Radiostilte", count=count)
    assert Person.objects.count() == count


def test_phase_report_pdf_of_versterken_carries_the_map(client, trajectory, bewerker):
    import io

    from pypdf import PdfReader

    add(trajectory, bewerker, "Pdf Persoon", support="tegen")
    client.force_login(bewerker)
    response = client.get(reverse("trajectories:phase_report_pdf", args=[trajectory.pk, "versterken"]))
    assert response.status_code == 200
    text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    for label in ("Overtuigen", "Sleutelspelers", "Pdf Persoon", "Dekking per niveau en kant"):
        assert label in text


@pytest.mark.parametrize("count", [2, 20])
def test_persons_and_report_backs_pages_query_budget(
    client, trajectory, bewerker, beheerder, count, django_assert_max_num_queries
):
    for i in range(count):
        s = add(trajectory, bewerker, f"Persoon {i:02d}")
        services.report_back_record(
            trajectory=trajectory, by=bewerker, reported_on=TODAY, stakeholder=s, content=f"Melding {i}"
        )
    client.force_login(beheerder)
    with django_assert_max_num_queries(8):
        assert client.get(reverse("organisations:persons", args=[trajectory.owner_id])).status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("trajectories:report_backs", args=[trajectory.pk])).status_code == 200


def test_starting_a_review_can_mark_key_figures_present(client, trajectory, bewerker):
    s = add(trajectory, bewerker)
    client.force_login(bewerker)
    url = reverse("trajectories:review_start", args=[trajectory.pk])
    assertContains(client.get(url), f'name="present" value="p{s.pk}"')
    response = client.post(
        url,
        {
            "held_on": timezone.localdate().isoformat(),
            "phases": [trajectory.current_phase],
            "present": [f"p{s.pk}"],
        },
    )
    assert response.status_code == 302
    assert list(trajectory.reviews.get().stakeholders_present.all()) == [s]
    assert key_figures.radio_silence([trajectory.pk], days=1) == {}  # the review counts as contact today


def test_review_form_offers_only_this_trajectorys_stakeholders(client, trajectory, bewerker, municipality):
    other = make_trajectory(owner=municipality, by=bewerker, title="Ander")
    foreign = add(other, bewerker, "Van Elders")
    add(trajectory, bewerker, "Van Hier")
    client.force_login(bewerker)
    url = reverse("trajectories:review_start", args=[trajectory.pk])
    response = client.post(
        url,
        {
            "held_on": timezone.localdate().isoformat(),
            "phases": [trajectory.current_phase],
            "present": [f"p{foreign.pk}"],
        },
    )
    assert response.status_code == 200  # the form comes back: not a valid choice
    assert not trajectory.reviews.exists()
