"""Demo data for phase 4 and subphase 5a: fictional stakeholders, support history and teams."""

import io
import json
import re
from pathlib import Path

import pytest
from django.conf import settings as django_settings
from django.core.management import CommandError, call_command

from organisations.models import Person
from trajectories import key_figures
from trajectories.models import Stakeholder, TeamMember, Trajectory


def _load(settings, **options):
    settings.DEBUG = True
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("load_fii_data", stdout=io.StringIO(), **options)


def test_demo_trajectories_have_stakeholders_teams_and_radio_silence(demo_data):
    per_trajectory = {t.title: t.stakeholders.count() for t in Trajectory.objects.all()}
    assert sum(count >= 5 for count in per_trajectory.values()) >= 3
    assert Stakeholder.objects.values("level").distinct().count() == 7
    assert all(p.email.endswith("@example.nl") for p in Person.objects.exclude(email=""))
    flags = key_figures.radio_silence(Trajectory.objects.values_list("pk", flat=True))
    ajt = Trajectory.objects.get(title="Administratief Juridisch Team")
    kinds = {f.stakeholder.person.name: (f.stale, f.attendance_dropped) for f in flags[ajt.pk]}
    assert kinds == {"Erik van Dijk": (True, False), "Petra Mulder": (False, True)}
    samen = Trajectory.objects.get(title="Samen Leren")
    team = key_figures.team_summary(
        list(TeamMember.objects.filter(trajectory=samen, left_on__isnull=True).select_related("stakeholder"))
    )
    assert team.size == 3 and team.has_giving and team.has_receiving
    assert [c.value for c in team.missing] == ["communicatie"]
    assert samen.team_changes.filter(kind="eraf").exists()
    assert ajt.report_backs.exists()
    # One person in two trajectories is one record.
    assert Person.objects.get(name="Erik van Dijk").stakeholder_roles.count() == 2


def _broken(tmp_path, change):
    data = json.loads((Path(django_settings.BASE_DIR) / "fixtures" / "demo.json").read_text(encoding="utf-8"))
    change(next(t for t in data["trajectories"] if t["title"] == "Samen Leren"))
    path = tmp_path / "demo.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return str(path)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda t: t["stakeholders"][0].update(invloed=3), "unknown key(s) invloed"),
        (lambda t: t["stakeholders"][0].update(level="burgemeester"), "level must be one of"),
        (lambda t: t["stakeholders"][0].update(present_at_reviews=[3]), "no review 3 days ago"),
        (lambda t: t["team"]["members"][0].update(name="Niemand"), "'Niemand' is not a stakeholder"),
    ],
)
def test_demo_loader_refuses_bad_people_data(settings, tmp_path, change, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        _load(settings, file=_broken(tmp_path, change))
    assert not Trajectory.objects.exists()
