"""What a new user meets: health check, demo data, settings."""

import io
import subprocess
import sys

import pytest
from django.core.management import call_command
from django.db import DatabaseError
from django.urls import reverse

from organisations.models import Membership, User
from trajectories.models import PhaseTransition, Trajectory


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


@pytest.mark.django_db
def test_demo_outsider_sees_none_of_the_municipality_trajectories(client, settings):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_fii_data", stdout=io.StringIO())
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
