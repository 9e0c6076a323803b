"""What a new user meets: health check, demo data, settings."""

import io
import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import DatabaseError
from django.urls import reverse
from django.utils import timezone

from organisations.models import Membership, User
from trajectories.models import Action, PhaseTransition, Review, ReviewItem, Trajectory, overall_light


def test_healthz_answers_200_when_the_database_answers(client, db):
    response = client.get(reverse("healthz"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok"}


def test_healthz_answers_503_when_the_database_fails(client, db, monkeypatch):
    class BrokenConnection:
        def cursor(self):
            raise DatabaseError("down")

    monkeypatch.setattr("fii.views.connection", BrokenConnection())
    response = client.get(reverse("healthz"))
    assert response.status_code == 503


@pytest.mark.django_db
def test_demo_data_loads_once_and_keeps_user_changes(settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_fii_data", stdout=io.StringIO())
    assert Trajectory.objects.count() == 7
    assert set(User.objects.values_list("email", flat=True)) == {
        "beheerder@example.org",
        "bewerker@example.org",
        "lezer@example.org",
        "buitenstaander@example.org",
    }
    assert User.objects.get(email="lezer@example.org").check_password("fii-demo-2026")
    roles = dict(Membership.objects.values_list("user__email", "role"))
    assert roles["beheerder@example.org"] == "beheerder" and roles["lezer@example.org"] == "lezer"

    samen_leren = Trajectory.objects.get(title="Samen Leren")
    assert samen_leren.current_phase == "borgen"
    assert samen_leren.transitions.count() == 4
    childrens_zone = Trajectory.objects.get(title="Children's Zone")
    assert [t.direction for t in childrens_zone.transitions.order_by("created_at")] == [
        "",
        "forward",
        "back",
        "forward",
    ]

    samen_leren.title = "Samen Leren (hernoemd)"
    samen_leren.save()
    Trajectory.objects.get(title="Amigo's").delete()
    transitions_before = PhaseTransition.objects.count()
    call_command("load_fii_data", stdout=io.StringIO())
    # A second run keeps what users did with the data: nothing is renamed back or re-created.
    assert Trajectory.objects.count() == 6
    assert Trajectory.objects.filter(title="Samen Leren (hernoemd)").exists()
    assert PhaseTransition.objects.count() == transitions_before
    assert User.objects.count() == 4


@pytest.mark.django_db
def test_demo_accounts_only_with_debug(settings):
    settings.DEBUG = False
    call_command("load_fii_data", stdout=io.StringIO())
    assert Trajectory.objects.count() == 7
    assert not User.objects.exists()


def test_demo_outsider_sees_none_of_the_municipality_trajectories(client, demo_data):
    client.force_login(User.objects.get(email="buitenstaander@example.org"))
    page = client.get(reverse("trajectories:portfolio"))
    titles = [t.title for t in page.context["page"].object_list]
    assert titles == ["Voedselbankproject"]
    rotterdam = Trajectory.objects.get(title="Amigo's")
    assert client.get(rotterdam.get_absolute_url()).status_code == 404


def test_production_settings_refuse_to_start_without_secret_key():
    env = {"DEBUG": "0", "PATH": "/usr/bin:/bin"}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='fii.settings'; django.setup()",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_production_settings_are_secure():
    env = {"DEBUG": "0", "SECRET_KEY": "x" * 60, "ALLOWED_HOSTS": "fii.example.nl", "PATH": "/usr/bin:/bin"}
    code = (
        "import django, os; os.environ['DJANGO_SETTINGS_MODULE']='fii.settings'; django.setup();"
        "from django.conf import settings as s;"
        "print(s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE,"
        " s.SECURE_HSTS_SECONDS >= 31536000, s.ALLOWED_HOSTS)"
    )
    result = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == "True True True ['fii.example.nl']"


def _load_demo(settings, **options):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_fii_data", stdout=io.StringIO(), **options)


def test_demo_data_has_a_stoplight_history_of_several_months(demo_data):
    today = timezone.localdate()
    finalised = {t.title: t.reviews.filter(finalised_at__isnull=False).count() for t in Trajectory.objects.all()}
    assert sum(count >= 6 for count in finalised.values()) >= 3
    assert Review.objects.filter(finalised_at__isnull=True).exists()
    assert any(action.is_overdue(today) for action in Action.objects.filter(closed_at__isnull=True))
    assert Trajectory.objects.filter(review_interval="maandelijks").exists()

    for review in Review.objects.prefetch_related("items"):
        colours = [item.colour for item in review.items.all()]
        assert review.overall_light == overall_light(colours), review
        # Grey is allowed only where the demo means it: one item at most, never a whole review.
        assert colours.count("") <= 1, review

    for trajectory in Trajectory.objects.prefetch_related("transitions", "reviews"):
        for review in trajectory.reviews.all():
            reached = {
                t.to_phase for t in trajectory.transitions.all() if timezone.localdate(t.created_at) <= review.held_on
            }
            assert set(review.phases) <= reached, (trajectory.title, review.held_on, review.phases)


def test_demo_lights_move_and_one_trajectory_is_overdue_for_review(demo_data):
    # An item went orange or red, got an action, and is green again now the action is closed.
    recovered = [
        action
        for action in Action.objects.filter(closed_at__isnull=False, item__isnull=False, review__isnull=False)
        if ReviewItem.objects.get(review=action.review, item=action.item).colour in ("oranje", "rood")
        and ReviewItem.objects.filter(item=action.item).order_by("-review__held_on").first().colour == "groen"
    ]
    assert len(recovered) >= 3

    overdue = []
    for trajectory in Trajectory.objects.filter(status="actief"):
        last = trajectory.reviews.order_by("-held_on").first()
        next_on = trajectory.next_review_on(last_review_on=last.held_on if last else None, phase_started_on=None)
        if trajectory.review_is_overdue(next_on):
            overdue.append(trajectory.title)
    assert overdue == ["Moeders van Rotterdam"]
    in_progress = Review.objects.get(finalised_at__isnull=True)
    assert in_progress.trajectory.title == "Administratief Juridisch Team"
    assert in_progress.held_on == timezone.localdate()


@pytest.mark.django_db
def test_demo_reviews_load_without_demo_accounts(settings):
    settings.DEBUG = False
    call_command("load_fii_data", stdout=io.StringIO())
    assert Review.objects.count() >= 40
    assert not Review.objects.filter(attendees__isnull=False).exists()


def _broken_demo(tmp_path, change):
    data = json.loads((Path(django_settings.BASE_DIR) / "fixtures" / "demo.json").read_text(encoding="utf-8"))
    samen_leren = next(t for t in data["trajectories"] if t["title"] == "Samen Leren")
    change(samen_leren["reviews"], samen_leren)
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda reviews, t: reviews[0].update(colour="groen"), "unknown key(s) colour"),
        (lambda reviews, t: reviews[0]["lights"]["5.1"].update(kleur="groen"), "unknown key(s) kleur"),
        (lambda reviews, t: reviews[0].update(attendees=["iemand@example.org"]), "not one of the demo accounts"),
        (lambda reviews, t: reviews[0].update(attendees=["buitenstaander@example.org"]), "does not take part"),
        (lambda reviews, t: reviews[0].update(phases=["borgen"]), "had not reached yet"),
        (lambda reviews, t: reviews[0]["lights"].update({"6.1": {"colour": "groen"}}), "no checklist item '6.1'"),
        (lambda reviews, t: reviews[0]["lights"]["5.1"].update(colour="paars"), "colour must be one of"),
        (lambda reviews, t: reviews[0]["lights"].pop("5.1"), "5.1 never had a light"),
        (lambda reviews, t: reviews[0].update(open=True), "only the last review may stay open"),
        (lambda reviews, t: reviews[1].update(days_ago=190), "oldest first"),
        (lambda reviews, t: reviews[0]["actions"][0].update(closed_days_ago=500), "closed_days_ago must be after"),
        (lambda reviews, t: t.update(review_interval="wekelijks"), "review_interval must be one of"),
    ],
)
def test_demo_loader_refuses_bad_review_data(settings, tmp_path, change, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        _load_demo(settings, file=_broken_demo(tmp_path, change))
    # Nothing half-loaded stays behind.
    assert not Trajectory.objects.exists()
