"""“Mijn week”: the page after login says what needs the user this week, most urgent first."""

import datetime as dt

import pytest
from django.conf import settings
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from organisations.models import Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory
from trajectories import review_schedule, services
from trajectories.models import PhaseState, Trajectory
from trajectories.my_week import my_week

# A fixed clock (tests/mailhelpers.py): Monday 7 December 2026, 10:00 in Amsterdam.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("clock")]

TODAY = dt.date(2026, 12, 7)


def days(n: int) -> dt.date:
    return TODAY + dt.timedelta(days=n)


def review_due_on(trajectory: Trajectory, due: dt.date) -> None:
    """Without reviews, the next one is due 14 days after the current phase started."""
    started = timezone.make_aware(dt.datetime.combine(due - dt.timedelta(days=14), dt.time(9)))
    PhaseState.objects.filter(trajectory=trajectory, phase=trajectory.current_phase).update(started_at=started)
    review_schedule.sync([trajectory.pk])  # written past the services, which keep the stored next review


def interval_and_phase_start(trajectory: Trajectory, interval: str, started: dt.datetime | None = None) -> None:
    """Set the review interval (and the current phase's start) past the services, and store the next review."""
    Trajectory.objects.filter(pk=trajectory.pk).update(review_interval=interval)
    if started is not None:
        PhaseState.objects.filter(trajectory=trajectory, phase=trajectory.current_phase).update(started_at=started)
    review_schedule.sync([trajectory.pk])


def silent_key_figure(trajectory, by, name="Fenna Wethouder"):
    long_ago = timezone.now() - dt.timedelta(days=settings.FII_RADIO_SILENCE_DAYS + 10)
    return services.stakeholder_add(
        trajectory=trajectory,
        by=by,
        person_fields={"name": name},
        side="derden",
        level="wethouder",
        influence=5,
        support="neutraal",
        desired_support="steunend",
        at=long_ago,
    )


def test_my_week_is_the_home_page_and_the_page_after_login(client, bewerker):
    assert reverse("trajectories:my_week") == "/"
    response = client.post(reverse("login"), {"username": bewerker.email, "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"] == "/"
    page = client.get("/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "Mijn week" in html
    assert f'href="{reverse("trajectories:portfolio")}"' in html  # the portfolio one click away


def test_actions_overdue_and_due_soon_are_linked_most_urgent_first(client, bewerker, trajectory):
    late = services.action_create(
        trajectory=trajectory, by=bewerker, description="Oud", assignee=bewerker, due_on=days(-3)
    )
    later = services.action_create(
        trajectory=trajectory, by=bewerker, description="Ouder", assignee=bewerker, due_on=days(-9)
    )
    soon = services.action_create(
        trajectory=trajectory, by=bewerker, description="Zo", assignee=bewerker, due_on=days(2)
    )
    services.action_create(
        trajectory=trajectory, by=bewerker, description="Ver weg", assignee=bewerker, due_on=days(30)
    )
    done = services.action_create(
        trajectory=trajectory, by=bewerker, description="Klaar", assignee=bewerker, due_on=days(-1)
    )
    services.action_close(action=done, by=bewerker, note="", expected_version=None)

    week = my_week(bewerker, today=TODAY)
    assert [i.action for i in week.overdue if i.kind == "action"] == [later, late]
    assert [i.action for i in week.due if i.kind == "action"] == [soon]

    client.force_login(bewerker)
    html = client.get("/").content.decode()
    for action in (late, later, soon):
        assert reverse("trajectories:action", args=[trajectory.pk, action.pk]) in html
    assert "Ver weg" not in html and "Klaar" not in html
    assert html.index("Ouder") < html.index("Oud<") < html.index("Zo<")
    assert "9 dagen te laat" in html


def test_only_my_own_actions(bewerker, beheerder, trajectory):
    services.action_create(
        trajectory=trajectory, by=beheerder, description="Van een ander", assignee=beheerder, due_on=days(-1)
    )
    assert not [i for i in my_week(bewerker, today=TODAY).overdue if i.kind == "action"]


def test_reviews_due_within_seven_days_or_overdue(bewerker, municipality):
    overdue = make_trajectory(owner=municipality, by=bewerker, title="Te laat")
    due = make_trajectory(owner=municipality, by=bewerker, title="Bijna")
    later = make_trajectory(owner=municipality, by=bewerker, title="Later")
    paused = make_trajectory(owner=municipality, by=bewerker, title="Gepauzeerd")
    review_due_on(overdue, days(-4))
    review_due_on(due, days(6))
    review_due_on(later, days(8))
    review_due_on(paused, days(-4))
    Trajectory.objects.filter(pk=paused.pk).update(status="gepauzeerd")

    week = my_week(bewerker, today=TODAY)
    assert [(i.trajectory.title, i.days) for i in week.overdue if i.kind == "review"] == [("Te laat", 4)]
    assert [(i.trajectory.title, i.days) for i in week.due if i.kind == "review"] == [("Bijna", 6)]


def test_readers_are_not_asked_for_the_reviews_of_trajectories_they_only_read(lezer, bewerker, trajectory):
    review_due_on(trajectory, days(-2))
    assert [i.kind for i in my_week(bewerker, today=TODAY).overdue] == ["review"]
    assert my_week(lezer, today=TODAY).count == 0


def test_radio_silence_and_changes_of_key_people_are_signals(client, bewerker, trajectory):
    stakeholder = silent_key_figure(trajectory, bewerker)
    change = services.people_change_record(
        trajectory=trajectory,
        by=bewerker,
        side="ontvangend",
        occurred_on=days(-20),
        role="Teamleider",
        description="Weg",
    )
    week = my_week(bewerker, today=TODAY)
    assert [i.kind for i in week.signals] == ["radio_silence", "ownership_talk"]  # the longest standing first
    client.force_login(bewerker)
    html = client.get("/").content.decode()
    assert reverse("trajectories:stakeholder", args=[trajectory.pk, stakeholder.pk]) in html
    assert "Fenna Wethouder" in html and "radiostilte" in html
    assert reverse("trajectories:people_change_revisit", args=[trajectory.pk, change.pk]) in html


def test_account_without_memberships_is_told_whom_to_ask(client):
    loner = UserFactory(email="nieuw@example.org")
    client.force_login(loner)
    html = client.get("/").content.decode()
    assert "U hebt nog geen toegang tot een organisatie" in html
    assert "beheerder" in html


def test_another_organisations_week_is_never_shown(client, bewerker, trajectory, outsider):
    services.action_create(trajectory=trajectory, by=bewerker, description="Geheim", assignee=bewerker, due_on=days(-1))
    review_due_on(trajectory, days(-2))
    silent_key_figure(trajectory, bewerker)
    client.force_login(outsider)
    html = client.get("/").content.decode()
    assert "Geheim" not in html and trajectory.title not in html and "Fenna" not in html


def test_archived_and_closed_trajectories_need_nothing(bewerker, trajectory):
    services.action_create(trajectory=trajectory, by=bewerker, description="Bellen", assignee=bewerker, due_on=days(-1))
    review_due_on(trajectory, days(-2))
    Trajectory.objects.filter(pk=trajectory.pk).update(archived_at=timezone.now())
    assert my_week(bewerker, today=TODAY).count == 0


def _populate(org, user, n: int, start: int = 0) -> None:
    for i in range(start, start + n):
        t = make_trajectory(owner=org, by=user, title=f"Traject {i:03d}")
        review_due_on(t, days(-1 - i % 5))
        services.action_create(trajectory=t, by=user, description=f"Actie {i}", assignee=user, due_on=days(i % 9 - 4))
        silent_key_figure(t, user, name=f"Persoon {i}")
        services.people_change_record(
            trajectory=t, by=user, side="gevend", occurred_on=days(-3), role=f"Rol {i}", description="Nieuw"
        )


def test_query_count_is_flat_in_the_size_of_the_data(client, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr("trajectories.my_week.MAX_ACTIONS", 100)  # nothing cut here; the cut: test_the_cut_counts_…
    org = OrganisationFactory(name="Gemeente Groot")
    user = MembershipFactory(user=UserFactory(email="pl@groot.nl"), organisation=org, role=Role.BEWERKER).user
    client.force_login(user)

    def count() -> int:
        cache.clear()
        with django_assert_max_num_queries(12) as queries:
            response = client.get("/")
        assert response.status_code == 200
        return len(queries.captured_queries)

    _populate(org, user, 3)
    small = count()
    _populate(org, user, 27, start=3)
    large = count()
    assert large == small
    assert my_week(user, today=TODAY).count > 3 * 27


def test_only_the_most_urgent_actions_are_shown_with_a_link_to_all_of_them(client, bewerker, trajectory, monkeypatch):
    monkeypatch.setattr("trajectories.my_week.MAX_ACTIONS", 2)
    for n, due in enumerate((-1, -6, 3, -3)):
        services.action_create(
            trajectory=trajectory, by=bewerker, description=f"Taak {n}", assignee=bewerker, due_on=days(due)
        )
    week = my_week(bewerker, today=TODAY)
    assert [i.action.description for i in week.overdue if i.action] == ["Taak 1", "Taak 3"]  # 6 and 3 days late
    assert not week.due and week.more_actions and not week.more_trajectories

    client.force_login(bewerker)
    html = client.get("/").content.decode()
    assert "Taak 1" in html and "Taak 3" in html and "Taak 0" not in html and "Taak 2" not in html
    assert "deze pagina toont de 2 meest dringende" in html
    assert f'href="{reverse("trajectories:my_actions")}?mine=1">Bekijk al uw open acties' in html


def test_reviews_and_signals_come_from_the_trajectories_whose_review_is_most_urgent(
    client, bewerker, municipality, monkeypatch
):
    monkeypatch.setattr("trajectories.my_week.MAX_TRAJECTORIES", 2)
    due = {"Laat": -5, "Later": -1, "Bijna": 3, "Ver": 20}
    made = {}
    for title, day in due.items():
        made[title] = make_trajectory(owner=municipality, by=bewerker, title=title)
        review_due_on(made[title], days(day))
    silent_key_figure(made["Ver"], bewerker, name="Niet Getoond")  # its trajectory is not among the two
    silent_key_figure(made["Later"], bewerker, name="Wel Getoond")
    interval_and_phase_start(made["Laat"], "maandelijks")  # due 16 days later

    week = my_week(bewerker, today=TODAY)
    assert [i.trajectory.title for i in week.overdue] == ["Later"]
    assert [i.trajectory.title for i in week.due] == ["Bijna"]
    assert [i.flag.stakeholder.person.name for i in week.signals] == ["Wel Getoond"]
    assert week.more_trajectories and not week.more_actions

    client.force_login(bewerker)
    html = client.get("/").content.decode()
    assert "Niet Getoond" not in html
    assert "van de 2 trajecten waarvan de stoplichtbespreking het meest dringend is" in html
    assert f'href="{reverse("trajectories:portfolio")}">Bekijk alle trajecten in het portfolio' in html


def test_no_bound_note_while_everything_fits(client, bewerker, trajectory):
    review_due_on(trajectory, days(-2))
    week = my_week(bewerker, today=TODAY)
    assert not week.more_actions and not week.more_trajectories
    client.force_login(bewerker)
    assert 'id="week-bound"' not in client.get("/").content.decode()


def _badge(html: str, heading_id: str) -> str:
    start = html.index(f'id="{heading_id}"')
    return html[start : html.index("</h2>", start)]


def test_badges_say_how_many_of_how_many_when_the_action_bound_cuts(client, bewerker, trajectory, monkeypatch):
    monkeypatch.setattr("trajectories.my_week.MAX_ACTIONS", 2)
    for n, due in enumerate((-1, -6, -3, 2)):  # three late, one due in two days: the bound keeps two late ones
        services.action_create(
            trajectory=trajectory, by=bewerker, description=f"Taak {n}", assignee=bewerker, due_on=days(due)
        )
    week = my_week(bewerker, today=TODAY)
    assert (len(week.overdue), week.overdue_total) == (2, 3)
    assert (len(week.due), week.due_total) == (0, 1)

    client.force_login(bewerker)
    html = client.get("/").content.decode()
    overdue = _badge(html, "week-overdue")
    assert '<span aria-hidden="true">2 van 3</span>' in overdue
    assert '<span class="visually-hidden">2 getoond van 3</span>' in overdue
    due = _badge(html, "week-due")
    assert '<span aria-hidden="true">0 van 1</span>' in due
    # The due item was cut, so the section does not say that nothing is planned.
    assert "In de komende zeven dagen staat niets op de planning." not in html
    assert "1 punt wordt hier niet getoond" in html
    signals = _badge(html, "week-signals")
    assert ">0</span>" in signals and " van " not in signals


def test_badges_count_the_reviews_and_signals_of_the_trajectories_the_bound_left_out(
    client, bewerker, municipality, monkeypatch
):
    monkeypatch.setattr("trajectories.my_week.MAX_TRAJECTORIES", 1)
    # The month after 31 October is 30 November: late on 7 December, 7 days; relativedelta, not "30 days".
    made = {}
    for title, due in {"Eerst": -9, "Ook laat": -2, "Bijna": 5, "Ver": 30}.items():
        made[title] = make_trajectory(owner=municipality, by=bewerker, title=title)
        review_due_on(made[title], days(due))
    monthly = make_trajectory(owner=municipality, by=bewerker, title="Maandelijks")
    started = timezone.make_aware(dt.datetime(2026, 10, 31, 9))
    interval_and_phase_start(monthly, "maandelijks", started)
    silent_key_figure(made["Ver"], bewerker, name="Niet Getoond")
    services.people_change_record(
        trajectory=made["Bijna"], by=bewerker, side="gevend", occurred_on=days(-3), role="Rol", description="Weg"
    )

    week = my_week(bewerker, today=TODAY)
    assert [i.trajectory.title for i in week.overdue] == ["Eerst"] and not week.due and not week.signals
    assert (week.overdue_total, week.due_total) == (3, 1)
    # The signals of the left-out trajectories are not counted (too costly): the section says "0+".
    assert week.signals_uncounted and week.signals_total == 0

    client.force_login(bewerker)
    html = client.get("/").content.decode()
    assert '<span aria-hidden="true">1 van 3</span>' in _badge(html, "week-overdue")
    assert '<span aria-hidden="true">0 van 1</span>' in _badge(html, "week-due")
    signals = _badge(html, "week-signals")
    assert '<span aria-hidden="true">0+</span>' in signals
    assert "0 getoond; de trajecten die deze pagina weglaat kunnen er meer bevatten" in signals
    assert "niets op de planning" not in html and "Geen signalen" not in html
    assert "Geen in de getoonde trajecten" in html


def test_the_counts_of_reviews_agree_with_the_cadence_of_each_trajectory(bewerker, municipality):
    """Month ends and quarters: the database count and the page's cadence decide each day alike."""
    from trajectories.my_week import review_counts, worked_on
    from trajectories.selectors import add_light_summaries, with_review_summary

    for n, (interval, start) in enumerate(
        [
            (k, dt.date(2026, m, d))
            for k in ("maandelijks", "per_kwartaal", "tweewekelijks")
            for m, d in (
                (8, 31),
                (9, 7),
                (9, 8),
                (10, 31),
                (11, 6),
                (11, 7),
                (11, 8),
                (11, 14),
                (11, 15),
                (11, 23),
                (11, 24),
            )
        ]
    ):
        t = make_trajectory(owner=municipality, by=bewerker, title=f"T{n}")
        started = timezone.make_aware(dt.datetime.combine(start, dt.time(9)))
        interval_and_phase_start(t, interval, started)
    for today in (TODAY, dt.date(2026, 12, 1), dt.date(2027, 2, 28)):
        until = today + dt.timedelta(days=7)
        mine = list(with_review_summary(worked_on(bewerker), today=today))
        add_light_summaries(mine, today=today)
        late = sum(1 for t in mine if t.cadence.is_overdue)
        coming = sum(1 for t in mine if not t.cadence.is_overdue and t.cadence.next_review_on <= until)
        assert review_counts(worked_on(bewerker), today=today, until=until) == (late, coming), today
        assert late and (coming or today.month == 2)


def test_the_cut_counts_cost_the_same_queries_for_more_trajectories(client, django_assert_max_num_queries, monkeypatch):
    monkeypatch.setattr("trajectories.my_week.MAX_TRAJECTORIES", 2)
    monkeypatch.setattr("trajectories.my_week.MAX_ACTIONS", 2)
    org = OrganisationFactory(name="Gemeente Groot")
    user = MembershipFactory(user=UserFactory(email="pl@groot.nl"), organisation=org, role=Role.BEWERKER).user
    client.force_login(user)

    def count() -> int:
        cache.clear()
        with django_assert_max_num_queries(16) as queries:
            response = client.get("/")
        assert response.status_code == 200 and " van " in _badge(response.content.decode(), "week-overdue")
        return len(queries.captured_queries)

    _populate(org, user, 4)
    small = count()
    _populate(org, user, 16, start=4)
    assert count() == small
