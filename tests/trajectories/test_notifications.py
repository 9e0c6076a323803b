"""Notifications with a fixed clock (Monday 7 December 2026, 10:00 in Amsterdam): each kind, the settings, the
unsubscribe link, the digests, and a scheduler that may run twice without sending anything twice."""

import datetime as dt
import re

import pytest
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from organisations.models import OutgoingMail, Role
from tests.factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory
from trajectories import review_schedule, services
from trajectories.models import Delivery, Notification, NotificationKind, NotificationPreference, PhaseState
from trajectories.scheduler import send_notifications

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2026, 12, 7)
Kind = NotificationKind


def day(n: int) -> dt.date:
    return MONDAY + dt.timedelta(days=n)


def at(date: dt.date, hour: int = 10) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(date, dt.time(hour)))


def review_due_on(trajectory, due: dt.date) -> None:
    started = at(due - dt.timedelta(days=14), 9)
    PhaseState.objects.filter(trajectory=trajectory, phase=trajectory.current_phase).update(started_at=started)
    review_schedule.sync([trajectory.pk])  # written past the services, which keep the stored next review


def mails(prefix: str = "") -> list[OutgoingMail]:
    return list(OutgoingMail.objects.filter(key__startswith=prefix).order_by("pk"))


def of_kind(kind, **filters) -> list[Notification]:
    return list(Notification.objects.filter(kind=kind, **filters).order_by("recipient__email"))


@pytest.fixture
def quiet_trajectory(clock, trajectory):
    """The trajectory with its next review a month away, so only what a test sets up is due."""
    review_due_on(trajectory, day(30))
    return trajectory


# Each kind -------------------------------------------------------------------------------------------


def test_assigning_an_action_notifies_the_assignee_at_once_with_a_mail(beheerder, bewerker, quiet_trajectory):
    action = services.action_create(
        trajectory=quiet_trajectory, by=beheerder, description="Wethouder bellen", assignee=bewerker, due_on=day(10)
    )
    (notification,) = of_kind(Kind.ACTION_ASSIGNED)
    assert (notification.recipient, notification.object_id, notification.due_on) == (bewerker, action.pk, MONDAY)
    assert notification.url == reverse("trajectories:action", args=[quiet_trajectory.pk, action.pk])
    (mail,) = mails("notification:")
    assert mail.to == bewerker.email and notification.mailed_at is not None
    # The organisation and the trajectory in the subject; links to the exact page and to the settings.
    assert mail.subject == "Gemeente Testdam · Schuldhulp Vroeg: Actie aan u toegewezen: Wethouder bellen"
    for text in (mail.html, mail.text):
        assert settings.FII_BASE_URL + notification.url in text
        assert settings.FII_BASE_URL + reverse("trajectories:notification_settings") in text
        assert "/meldingen/afmelden/" in text


def test_reassigning_notifies_the_new_assignee_and_nobody_assigns_to_themselves(beheerder, bewerker, lezer, trajectory):
    action = services.action_create(trajectory=trajectory, by=bewerker, description="Zelf doen", assignee=bewerker)
    assert not of_kind(Kind.ACTION_ASSIGNED)  # assigned to themselves
    services.action_update(
        action=action, by=bewerker, expected_version=None, description="Zelf doen", assignee=lezer, due_on=None
    )
    assert [n.recipient for n in of_kind(Kind.ACTION_ASSIGNED)] == [lezer]
    services.action_update(
        action=action, by=bewerker, expected_version=None, description="Anders", assignee=lezer, due_on=None
    )
    assert len(of_kind(Kind.ACTION_ASSIGNED)) == 1  # the owner did not change


def test_an_assignee_outside_the_trajectory_is_not_notified(bewerker, outsider, trajectory):
    services.action_create(trajectory=trajectory, by=bewerker, description="Bellen", assignee=outsider)
    assert not of_kind(Kind.ACTION_ASSIGNED)


def test_action_due_in_two_days_waits_for_the_daily_digest(clock, beheerder, bewerker, quiet_trajectory):
    action = services.action_create(
        trajectory=quiet_trajectory, by=bewerker, description="Nota", assignee=bewerker, due_on=day(2)
    )
    services.action_create(
        trajectory=quiet_trajectory, by=bewerker, description="Later", assignee=bewerker, due_on=day(3)
    )
    outcome = send_notifications(now=at(MONDAY, 6))  # before the digest hour
    assert outcome.created == {Kind.ACTION_DUE: 1}
    (notification,) = of_kind(Kind.ACTION_DUE)
    assert (notification.object_id, notification.due_on, notification.mailed_at) == (action.pk, day(2), None)
    assert not mails()  # the default for "due in two days" is the daily digest

    outcome = send_notifications(now=at(MONDAY, 7))
    assert outcome.daily_digests == 1
    (digest,) = mails("digest-daily:")
    assert "Nota" in digest.html and "Nota" in digest.text
    assert digest.subject.startswith("Gemeente Testdam · Schuldhulp Vroeg: dagelijks overzicht, 1 melding")
    notification.refresh_from_db()
    assert notification.mailed_at is not None


def test_an_overdue_action_is_announced_once(bewerker, quiet_trajectory):
    services.action_create(
        trajectory=quiet_trajectory, by=bewerker, description="Te laat", assignee=bewerker, due_on=day(-1)
    )
    long_ago = services.action_create(
        trajectory=quiet_trajectory, by=bewerker, description="Heel oud", assignee=bewerker, due_on=day(-30)
    )
    send_notifications(now=at(MONDAY))
    (notification,) = of_kind(Kind.ACTION_OVERDUE)
    assert notification.object_id != long_ago.pk  # older ones stand in My week and the weekly digest only
    assert [m.subject for m in mails("notification:")] == [
        "Gemeente Testdam · Schuldhulp Vroeg: Uw actie is te laat: Te laat"
    ]
    for later in (at(MONDAY, 15), at(day(1)), at(day(5))):
        assert Kind.ACTION_OVERDUE not in send_notifications(now=later).created
    assert len(of_kind(Kind.ACTION_OVERDUE)) == 1


def test_review_due_tomorrow_goes_to_the_bewerkers_and_beheerders(beheerder, bewerker, lezer, trajectory, clock):
    review_due_on(trajectory, day(1))
    send_notifications(now=at(MONDAY))
    assert [n.recipient for n in of_kind(Kind.REVIEW_DUE)] == [beheerder, bewerker]
    assert {n.due_on for n in of_kind(Kind.REVIEW_DUE)} == {day(1)}
    assert {m.to for m in mails("notification:")} == {beheerder.email, bewerker.email}


def test_overdue_review_goes_to_the_bewerkers_and_beheerders_once(beheerder, bewerker, lezer, trajectory, clock):
    review_due_on(trajectory, day(-3))
    send_notifications(now=at(MONDAY))
    assert [n.recipient for n in of_kind(Kind.REVIEW_OVERDUE)] == [beheerder, bewerker]
    send_notifications(now=at(day(1)))
    assert len(of_kind(Kind.REVIEW_OVERDUE)) == 2
    assert not Notification.objects.filter(recipient=lezer).exists()


def test_a_key_figure_going_radio_silent(bewerker, quiet_trajectory):
    stakeholder = services.stakeholder_add(
        trajectory=quiet_trajectory,
        by=bewerker,
        person_fields={"name": "Fenna Wethouder"},
        side="derden",
        level="wethouder",
        influence=5,
        support="neutraal",
        desired_support="steunend",
        at=at(day(-settings.FII_RADIO_SILENCE_DAYS - 2)),
    )
    send_notifications(now=at(MONDAY))
    (notification,) = of_kind(Kind.RADIO_SILENCE)
    assert notification.object_id == stakeholder.pk
    assert notification.params == {"days": settings.FII_RADIO_SILENCE_DAYS + 2}
    # Radio silence waits for the daily digest by default; the digest names the key figure.
    send_notifications(now=at(MONDAY, 11))
    assert "Radiostilte: Fenna Wethouder (Wethouder)" in mails("digest-daily:")[0].html


def test_a_change_of_key_people_awaiting_the_talk_after_two_weeks(bewerker, quiet_trajectory):
    recent = services.people_change_record(
        trajectory=quiet_trajectory,
        by=bewerker,
        side="ontvangend",
        occurred_on=day(-5),
        role="Teamleider",
        description="Nieuw",
    )
    old = services.people_change_record(
        trajectory=quiet_trajectory,
        by=bewerker,
        side="gevend",
        occurred_on=day(-14),
        role="Projectleider",
        description="Weg",
    )
    send_notifications(now=at(MONDAY))
    assert [n.object_id for n in of_kind(Kind.OWNERSHIP_TALK)] == [old.pk]
    recent.revisited_on = day(-1)
    recent.save()
    send_notifications(now=at(day(10)))
    assert [n.object_id for n in of_kind(Kind.OWNERSHIP_TALK)] == [old.pk]  # the recent one was talked about


def test_running_the_scheduler_twice_sends_nothing_new(beheerder, bewerker, trajectory, clock):
    review_due_on(trajectory, day(-3))
    services.action_create(trajectory=trajectory, by=bewerker, description="Te laat", assignee=bewerker, due_on=day(-1))
    services.action_create(trajectory=trajectory, by=bewerker, description="Bijna", assignee=bewerker, due_on=day(1))
    first = send_notifications(now=at(MONDAY))
    notifications, outbox = Notification.objects.count(), OutgoingMail.objects.count()
    assert first.total == 4 and first.daily_digests == 1 and first.weekly_digests == 2
    second = send_notifications(now=at(MONDAY))
    assert (second.total, second.daily_digests, second.weekly_digests) == (0, 0, 0)
    assert (Notification.objects.count(), OutgoingMail.objects.count()) == (notifications, outbox)


def test_the_command_runs_for_cron(bewerker, trajectory, clock, capsys):
    review_due_on(trajectory, day(-3))
    call_command("send_notifications", "--now", "2026-12-07T10:00")
    call_command("send_notifications", "--now", "2026-12-07T10:00")
    out = capsys.readouterr().out.splitlines()
    assert "review_overdue 1" in out[0] and "notifications created: none" in out[1]


# Settings --------------------------------------------------------------------------------------------


def test_settings_off_keeps_the_notification_but_sends_no_mail(beheerder, bewerker, quiet_trajectory):
    services.notification_preferences_set(user=bewerker, deliveries={Kind.ACTION_ASSIGNED: Delivery.OFF})
    services.action_create(trajectory=quiet_trajectory, by=beheerder, description="Bellen", assignee=bewerker)
    assert len(of_kind(Kind.ACTION_ASSIGNED)) == 1
    assert not mails()


def test_settings_at_once_mails_what_would_wait_for_the_digest(bewerker, quiet_trajectory):
    services.notification_preferences_set(user=bewerker, deliveries={Kind.ACTION_DUE: Delivery.AT_ONCE})
    services.action_create(
        trajectory=quiet_trajectory, by=bewerker, description="Nota", assignee=bewerker, due_on=day(2)
    )
    send_notifications(now=at(MONDAY, 6))
    assert [m.to for m in mails("notification:")] == [bewerker.email]


def test_settings_page_shows_defaults_saves_and_refuses_a_weekly_digest_every_day(client, bewerker):
    client.force_login(bewerker)
    url = reverse("trajectories:notification_settings")
    page = client.get(url).content.decode()
    assert "Meldingsinstellingen" in page and "Een actie is aan u toegewezen" in page
    assert 'name="action_due" value="dagelijks" id="id_action_due_1" checked' in page
    data = {kind: Delivery.AT_ONCE for kind in Kind.values}
    data[Kind.REVIEW_DUE] = Delivery.OFF
    assert client.post(url, data).status_code == 302
    assert services.notification_deliveries(bewerker)[Kind.REVIEW_DUE] == Delivery.OFF
    data[Kind.WEEKLY_DIGEST] = Delivery.DAILY
    data[Kind.RADIO_SILENCE] = Delivery.OFF
    response = client.post(url, data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Selecteer een geldige keuze" in html  # Dutch, next to the field
    assert 'name="radio_silence" value="uit" id="id_radio_silence_2" checked' in html  # the input is kept
    assert services.notification_deliveries(bewerker)[Kind.RADIO_SILENCE] == Delivery.AT_ONCE  # nothing saved


def test_the_account_page_links_to_the_settings(client, bewerker):
    client.force_login(bewerker)
    assert reverse("trajectories:notification_settings") in client.get(reverse("account:overview")).content.decode()


# The unsubscribe link --------------------------------------------------------------------------------


def unsubscribe_url_in(mail: OutgoingMail) -> str:
    return re.search(r"https?://[^/]+(/meldingen/afmelden/[^/\s\"]+/)", mail.text).group(1)


def test_unsubscribe_from_the_mail_without_logging_in(client, beheerder, bewerker, quiet_trajectory):
    services.action_create(trajectory=quiet_trajectory, by=beheerder, description="Bellen", assignee=bewerker)
    url = unsubscribe_url_in(mails("notification:")[0])
    page = client.get(url)
    assert page.status_code == 200 and "Ja, stop deze e-mails" in page.content.decode()
    assert not NotificationPreference.objects.exists()  # a GET changes nothing (mail scanners follow links)
    done = client.post(url)
    assert done.status_code == 200 and "krijgt geen e-mail meer" in done.content.decode()
    assert services.notification_deliveries(bewerker)[Kind.ACTION_ASSIGNED] == Delivery.OFF
    assert services.notification_deliveries(bewerker)[Kind.ACTION_DUE] == Delivery.DAILY  # only that kind


def test_a_tampered_unsubscribe_link_changes_nothing(client, bewerker, beheerder):
    token = services.unsubscribe_token(bewerker, Kind.ACTION_ASSIGNED)
    forged = signing.dumps({"u": beheerder.pk, "k": Kind.ACTION_ASSIGNED}, salt="another", compress=True)
    for bad in (token[:-2] + "xx", forged, "niets"):
        url = reverse("trajectories:unsubscribe", args=[bad])
        assert client.get(url).status_code == 400
        response = client.post(url)
        assert response.status_code == 400 and "niet geldig" in response.content.decode()
    assert not NotificationPreference.objects.exists()


# The weekly digest is My week ------------------------------------------------------------------------


def test_weekly_digest_on_monday_morning_holds_the_same_as_my_week(client, clock, bewerker, trajectory):
    review_due_on(trajectory, day(-2))
    for due, what in ((day(-4), "Verslag"), (day(3), "Offerte")):
        services.action_create(trajectory=trajectory, by=bewerker, description=what, assignee=bewerker, due_on=due)
    services.people_change_record(
        trajectory=trajectory,
        by=bewerker,
        side="ontvangend",
        occurred_on=day(-3),
        role="Teamleider",
        description="Nieuw",
    )
    assert not send_notifications(now=at(MONDAY, 6)).weekly_digests  # Monday, but before seven
    send_notifications(now=at(MONDAY, 8))
    (digest,) = [m for m in mails("digest-weekly:") if m.to == bewerker.email]
    assert "Gemeente Testdam · Schuldhulp Vroeg" in digest.subject

    client.force_login(bewerker)
    page = client.get(reverse("trajectories:my_week"))
    week = page.context["week"]
    items = [*week.overdue, *week.due, *week.signals]
    assert len(items) == 4
    for item in items:
        assert settings.FII_BASE_URL + item.url in digest.html
        assert settings.FII_BASE_URL + item.url in digest.text

    def item_words(html: str, pattern: str) -> list[str]:
        """The words of each item after its trajectory's title, without markup."""
        found = re.findall(pattern, html, re.S)
        words = [" ".join(re.sub(r"<[^>]+>", " ", part).split()) for part in found]
        return [w.split(trajectory.title, 1)[1].strip() for w in words]

    on_page = item_words(page.content.decode(), r'<li class="week-item[^"]*">(.*?)</li>')
    in_mail = item_words(digest.html, r"<li style[^>]*>(.*?)</li>")
    assert len(on_page) == 4 and on_page == in_mail


def test_no_weekly_digest_on_other_days_or_when_switched_off(bewerker, beheerder, trajectory, clock):
    review_due_on(trajectory, day(-2))
    assert not send_notifications(now=at(day(1), 8)).weekly_digests  # a Tuesday
    services.notification_preferences_set(user=bewerker, deliveries={Kind.WEEKLY_DIGEST: Delivery.OFF})
    send_notifications(now=at(MONDAY, 8))
    assert [m.to for m in mails("digest-weekly:")] == [beheerder.email]


# The notifications page ------------------------------------------------------------------------------


def test_notifications_page_lists_read_and_unread_and_marks_them_read(client, beheerder, bewerker, quiet_trajectory):
    for what in ("Eerste", "Tweede"):
        services.action_create(trajectory=quiet_trajectory, by=beheerder, description=what, assignee=bewerker)
    first, second = Notification.objects.order_by("pk")
    client.force_login(bewerker)
    html = client.get(reverse("trajectories:notifications")).content.decode()
    assert "Actie aan u toegewezen: Eerste" in html and "Actie aan u toegewezen: Tweede" in html
    assert re.search(r"Meldingen <span class=\"badge[^>]*>2<", html)  # the count in the header

    client.post(reverse("trajectories:notification_read"), {"id": first.pk})
    first.refresh_from_db()
    assert first.read_at is not None
    html = client.get(reverse("trajectories:notifications")).content.decode()
    assert "Gelezen" in html and "Actie aan u toegewezen: Eerste" in html  # read ones stay listed
    assert re.search(r"Meldingen <span class=\"badge[^>]*>1<", html)

    client.post(reverse("trajectories:notification_read"))
    assert not Notification.objects.filter(read_at__isnull=True).exists()
    assert "badge rounded-pill" not in client.get(reverse("trajectories:notifications")).content.decode()


def test_nobody_reads_or_marks_someone_elses_notifications(client, beheerder, bewerker, outsider, quiet_trajectory):
    services.action_create(trajectory=quiet_trajectory, by=beheerder, description="Geheim", assignee=bewerker)
    notification = Notification.objects.get()
    client.force_login(outsider)
    assert "Geheim" not in client.get(reverse("trajectories:notifications")).content.decode()
    client.post(reverse("trajectories:notification_read"), {"id": notification.pk})
    client.post(reverse("trajectories:notification_read"))
    notification.refresh_from_db()
    assert notification.read_at is None


def test_notifications_page_query_budget_is_flat(
    client, beheerder, bewerker, quiet_trajectory, django_assert_max_num_queries
):
    from django.core.cache import cache

    def count():
        cache.clear()
        with django_assert_max_num_queries(12) as queries:
            assert client.get(reverse("trajectories:notifications")).status_code == 200
        return len(queries.captured_queries)

    def stakeholder(name, days_ago):
        services.stakeholder_add(
            trajectory=quiet_trajectory, by=beheerder, person_fields={"name": name}, side="derden", level="wethouder",
            influence=5, support="neutraal", desired_support="steunend", at=at(day(-days_ago)),
        )  # fmt: skip

    client.force_login(bewerker)
    # Every kind of text once: actions, a key figure and a review.
    services.action_create(trajectory=quiet_trajectory, by=beheerder, description="Een", assignee=bewerker)
    stakeholder("Eerste", 60)
    review_due_on(quiet_trajectory, day(-1))
    send_notifications(now=at(MONDAY, 6))
    small = count()
    for i in range(20):
        services.action_create(trajectory=quiet_trajectory, by=beheerder, description=f"Actie {i}", assignee=bewerker)
    for i in range(5):
        stakeholder(f"Persoon {i}", 60 + i)
    send_notifications(now=at(MONDAY, 6))
    assert Notification.objects.filter(recipient=bewerker).count() > 25
    assert count() == small


def test_a_member_who_left_gets_nothing_more(beheerder, bewerker, trajectory, clock):
    review_due_on(trajectory, day(-2))
    bewerker.memberships.all().delete()
    send_notifications(now=at(MONDAY))
    assert not Notification.objects.filter(recipient=bewerker).exists()
    assert Notification.objects.filter(recipient=beheerder).exists()


def test_a_participating_organisations_lezer_who_is_bewerker_elsewhere_counts_as_bewerker(trajectory, clock):
    from tests.factories import OrganisationFactory

    partner = OrganisationFactory(name="Welzijn Partner")
    trajectory.participants.add(partner)
    person = UserFactory(email="partner@welzijn.nl")
    MembershipFactory(user=person, organisation=partner, role=Role.BEWERKER)
    review_due_on(trajectory, day(-2))
    send_notifications(now=at(MONDAY))
    assert Notification.objects.filter(recipient=person, kind=Kind.REVIEW_OVERDUE).exists()


def test_mail_subject_and_text_are_not_html_escaped(beheerder, bewerker, quiet_trajectory):
    quiet_trajectory.title = "Children's Zone & co"
    quiet_trajectory.save()
    services.action_create(trajectory=quiet_trajectory, by=beheerder, description="Wijk's <plan>", assignee=bewerker)
    (mail,) = mails("notification:")
    assert mail.subject == "Gemeente Testdam · Children's Zone & co: Actie aan u toegewezen: Wijk's <plan>"
    assert "Wijk's <plan>" in mail.text and "Wijk&#x27;s &lt;plan&gt;" in mail.html


def test_a_write_dated_in_the_past_tells_nobody(beheerder, bewerker, quiet_trajectory, clock):
    services.action_create(
        trajectory=quiet_trajectory, by=beheerder, description="Uit de demo", assignee=bewerker, at=at(day(-20))
    )
    assert not Notification.objects.exists() and not mails()


# The recipient's language -----------------------------------------------------------------------------


def test_mail_goes_out_in_the_language_the_recipient_chose(client, beheerder, bewerker, quiet_trajectory):
    client.force_login(bewerker)
    response = client.post(
        reverse("set_language"), {"language": "en", "next": reverse("account:overview")}, follow=False
    )
    assert response["Location"] == "/en" + reverse("account:overview")
    bewerker.refresh_from_db()
    assert bewerker.language == "en"
    services.action_create(
        trajectory=quiet_trajectory, by=beheerder, description="Call the alderman", assignee=bewerker, due_on=day(10)
    )
    (mail,) = mails("notification:")
    assert mail.language == "en"
    assert mail.subject == "Gemeente Testdam · Schuldhulp Vroeg: Action assigned to you: Call the alderman"
    # Links lead to the English pages: the action itself and the settings.
    action_path = Notification.objects.get(recipient=bewerker).url
    assert settings.FII_BASE_URL + "/en" + action_path in mail.text and "/en/" in mail.html
    assert settings.FII_BASE_URL + "/en" + reverse("trajectories:notification_settings") in mail.text
    # Someone else keeps the default, Dutch.
    services.action_create(trajectory=quiet_trajectory, by=bewerker, description="Bellen", assignee=beheerder)
    assert mails("notification:")[-1].language == "nl"


def test_an_unknown_language_changes_nothing(client, bewerker):
    client.force_login(bewerker)
    client.post(reverse("set_language"), {"language": "xx", "next": "/"})
    bewerker.refresh_from_db()
    assert bewerker.language == "nl"


def test_the_account_page_shows_the_language_and_logging_in_opens_the_pages_in_it(client, bewerker):
    client.force_login(bewerker)
    page = client.get(reverse("account:overview")).content.decode()
    assert 'id="id_account_language"' in page and '<option value="nl" lang="nl" selected>' in page
    bewerker.language = "en"
    bewerker.save()
    client.logout()
    response = client.post(reverse("login"), {"username": bewerker.email, "password": "correct-horse-battery"})
    assert response.status_code == 302 and response["Location"].startswith("/en/")


def _busy_editor(n: int, *, org=None):
    """An editor with ``n`` trajectories, each with a late review, a late action and an open change of key people."""
    org = org or OrganisationFactory(name="Gemeente Groot")
    user = MembershipFactory(user=UserFactory(email="pl@groot.nl"), organisation=org, role=Role.BEWERKER).user
    _more_work(org, user, n)
    return org, user


def _more_work(org, user, n: int, *, start: int = 0) -> None:
    for i in range(start, start + n):
        t = make_trajectory(owner=org, by=user, title=f"Traject {i:03d}")
        review_due_on(t, day(-1 - i % 5))
        services.action_create(trajectory=t, by=user, description=f"Actie {i}", assignee=user, due_on=day(-2))
        services.people_change_record(
            trajectory=t, by=user, side="gevend", occurred_on=day(-3), role=f"Rol {i}", description="Nieuw"
        )


def test_weekly_digest_holds_my_weeks_bound_and_says_how_many_more(clock, monkeypatch):
    monkeypatch.setattr("trajectories.my_week.MAX_TRAJECTORIES", 3)
    monkeypatch.setattr("trajectories.my_week.MAX_ACTIONS", 2)
    _, user = _busy_editor(7)
    send_notifications(now=at(MONDAY, 8))
    (digest,) = mails("digest-weekly:")
    my_week_url = settings.FII_BASE_URL + reverse("trajectories:my_week")
    # Overdue: 2 of the 7 late actions and the 3 watched trajectories' reviews, of 7 + 7.
    assert "Te laat (5 van 14)" in digest.html and "Te laat (5 van 14)" in digest.text
    assert f'en 9 meer — zie <a href="{my_week_url}" style="color:#1e3a5f;">Mijn week</a>' in digest.html
    assert f"en 9 meer — zie Mijn week: {my_week_url}" in digest.text
    # The signals of the left-out trajectories are not counted (see MyWeek.signals_uncounted).
    assert "Signalen in uw trajecten (3+)" in digest.html and "Signalen in uw trajecten (3+)" in digest.text
    assert f'mogelijk meer in trajecten die deze mail weglaat — zie <a href="{my_week_url}"' in digest.html
    assert f"mogelijk meer in trajecten die deze mail weglaat — zie Mijn week: {my_week_url}" in digest.text
    assert digest.html.count("<li style") == 2 + 3 + 3
    assert "Traject 006" not in digest.html  # the least urgent review, left out
    shots = settings.BASE_DIR / "screenshots"
    shots.mkdir(exist_ok=True)
    (shots / "i21-weekly-digest-cut.html").write_text(digest.html)
    (shots / "i21-weekly-digest-cut.txt").write_text(digest.text)


def test_weekly_digest_without_cuts_has_no_more_line(clock, bewerker, trajectory):
    review_due_on(trajectory, day(-2))
    send_notifications(now=at(MONDAY, 8))
    (digest,) = [m for m in mails("digest-weekly:") if m.to == bewerker.email]
    assert "Te laat (1)" in digest.html and " meer — zie" not in digest.html and " meer — zie" not in digest.text


def test_weekly_digest_costs_the_same_queries_for_more_trajectories(clock, monkeypatch, django_assert_max_num_queries):
    from trajectories.services.notifications import weekly_digest_context

    monkeypatch.setattr("trajectories.my_week.MAX_TRAJECTORIES", 3)
    monkeypatch.setattr("trajectories.my_week.MAX_ACTIONS", 2)
    org, user = _busy_editor(5)

    def count() -> int:
        cache.clear()
        fresh = type(user).objects.get(pk=user.pk)  # memberships are remembered on the user object
        with django_assert_max_num_queries(20) as queries:
            context = weekly_digest_context(fresh, today=MONDAY, language="nl")
        assert context is not None and context["week"].overdue_cut
        return len(queries.captured_queries)

    small = count()
    _more_work(org, user, 20, start=5)
    assert count() == small
