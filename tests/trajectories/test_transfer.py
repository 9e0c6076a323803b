"""Export of whole trajectories (format fii-trajectories) and import into another installation."""

import copy
import datetime as dt
import io
import json

import pytest
from django.apps import apps
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from organisations.models import Job, Organisation, Person, User
from tests.factories import OrganisationFactory, make_trajectory
from tests.mailhelpers import run_queued_tasks
from trajectories.models import (
    Agreement,
    FidelityChecklist,
    ReportRecord,
    Stakeholder,
    StrategyUptake,
    TeamMember,
    Trajectory,
)
from trajectories.services import (
    EXPORT_FORMAT,
    EXPORT_VERSION,
    LEFT_OUT_FIELDS,
    LEFT_OUT_MODELS,
    TransferError,
    trajectories_export,
    trajectories_export_json,
    trajectories_import,
    transfer_kinds,
)
from trajectories.transfer_format import ORGANISATION_FIELDS, PERSON_FIELDS, USER_FIELDS

PDF = b"%PDF-1.4\n% signed agreement\n%%EOF\n"


def export_all() -> str:
    return trajectories_export_json(trajectories=Trajectory.objects.all())


def empty_the_database():
    """Delete every row of the project's own apps (``flush`` cannot TRUNCATE inside the test's transaction)."""
    for model in (FidelityChecklist, TeamMember, Trajectory, Person, Organisation, User):
        model.objects.all().delete()
    for app in ("organisations", "trajectories"):
        for model in apps.get_app_config(app).get_models():
            if model.__name__.startswith("Historical") or model.__name__ == "AuditEvent":
                continue  # history copies and the audit log are not domain data and never exported
            assert not model.objects.exists(), f"{model.__name__} is not empty"


@pytest.fixture
def demo(demo_data):
    """The demo data, topped up with what it lacks: an issued report and a signed agreement document."""
    trajectory = Trajectory.objects.get(title="Samen Leren")
    ReportRecord.objects.create(
        trajectory=trajectory,
        period_start=trajectory.start_date,
        period_end=timezone.localdate(),
        created_by=trajectory.created_by,
        reason="Stuurgroep",
    )
    agreement = Agreement.objects.first()
    agreement.document.save("ondertekend.pdf", ContentFile(PDF))
    return Trajectory.objects.all()


def test_every_field_of_referenced_organisations_users_and_persons_is_exported_or_left_out_on_purpose():
    # The trajectory's own models are decided in trajectories/structure.py (tests/trajectories/test_structure.py).
    for model, fields in ((Organisation, ORGANISATION_FIELDS), (User, USER_FIELDS), (Person, PERSON_FIELDS)):
        names = {f.name for f in [*model._meta.concrete_fields, *model._meta.many_to_many] if not f.primary_key}
        undecided = names - set(fields) - set(LEFT_OUT_FIELDS[model])
        assert not undecided, f"{model.__name__}: decide on {sorted(undecided)} (export or LEFT_OUT_FIELDS)"


def test_documentation_names_every_list_and_every_left_out_model():
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "docs" / "export-format.md").read_text()
    for kind in transfer_kinds():
        assert f"`{kind.name}`" in text, kind.name
        for name in kind.fields:
            assert f"`{name}`" in text, f"{kind.name}.{name}"
    for name in LEFT_OUT_MODELS:
        assert name in text


def test_export_then_import_into_an_empty_database_then_export_is_identical(demo):
    first = export_all()
    data = json.loads(first)
    assert data["format"] == EXPORT_FORMAT and data["version"] == EXPORT_VERSION == 5
    assert {"Samen Leren", "Administratief Juridisch Team"} <= {t["title"] for t in data["trajectories"]}

    def non_empty_lists(node, found):
        if isinstance(node, dict):
            for key, value in node.items():
                if (isinstance(value, list) and value and isinstance(value[0], dict)) or (
                    isinstance(value, dict) and key not in ("document",)
                ):
                    found.add(key)
                non_empty_lists(value, found)
        elif isinstance(node, list):
            for value in node:
                non_empty_lists(value, found)
        return found

    # The round trip means something only if every kind of object is in the file.
    assert {kind.name for kind in transfer_kinds()} <= non_empty_lists(data, set()) | {"trajectories"}
    assert any(a["document"] for t in data["trajectories"] for a in t["agreements"])
    uptakes = [
        u for t in data["trajectories"] for c in t["cfir_assessments"] for r in c["ratings"] for u in r["uptakes"]
    ]
    assert any(u["milestone"] and u["action"] is None for u in uptakes)  # a strategy on the plan
    assert any(u["action"] and u["milestone"] is None for u in uptakes)  # and one as a stoplight action

    empty_the_database()
    result = trajectories_import(data=data)
    assert len(result["trajectories"]) == len(data["trajectories"])
    assert export_all() == first


def test_export_is_deterministic_and_uses_no_database_ids(demo):
    first = export_all()
    assert export_all() == first
    trajectory = Trajectory.objects.get(title="Samen Leren")
    exported = trajectories_export(trajectories=Trajectory.objects.filter(pk=trajectory.pk))
    row = exported["trajectories"][0]
    assert row["key"] == str(trajectory.export_key)
    assert "id" not in row and "pk" not in row
    assert row["owner"] == trajectory.owner.name
    assert all("@" in user["email"] for user in exported["users"])


def test_imported_users_are_inactive_without_a_password(demo):
    data = json.loads(export_all())
    empty_the_database()
    trajectories_import(data=data)
    assert User.objects.exists()
    for user in User.objects.all():
        assert not user.is_active
        assert not user.has_usable_password()
        assert not user.memberships.exists()


def test_import_reuses_existing_organisations_and_users_by_name_and_email(db, bewerker, municipality):
    trajectory = make_trajectory(owner=municipality, by=bewerker, title="Schuldhulp Vroeg")
    data = trajectories_export(trajectories=Trajectory.objects.filter(pk=trajectory.pk))
    result = trajectories_import(data=data, as_copy=True)
    copy_ = result["trajectories"][0]
    assert copy_.owner == municipality and copy_.created_by == bewerker
    assert copy_.export_key != trajectory.export_key
    assert result["organisations"] == 0 and result["users"] == 0


def test_import_refuses_a_trajectory_that_already_exists_unless_as_a_copy(db, trajectory):
    data = trajectories_export(trajectories=Trajectory.objects.filter(pk=trajectory.pk))
    with pytest.raises(TransferError, match="bestaan hier al: Schuldhulp Vroeg"):
        trajectories_import(data=data)
    assert Trajectory.objects.count() == 1
    trajectories_import(data=data, as_copy=True)
    assert Trajectory.objects.filter(title="Schuldhulp Vroeg").count() == 2


def _broken(data, how):
    data = copy.deepcopy(data)
    row = data["trajectories"][0]
    if how == "format":
        data["format"] = "iets-anders"
    elif how == "version":
        data["version"] = 99
    elif how == "missing field":
        del row["title"]
    elif how == "unknown field":
        row["geheim"] = 1
    elif how == "bad date":
        row["start_date"] = "31-12-2026"
    elif how == "bad choice":
        row["status"] = "zwevend"
    elif how == "unknown organisation":
        row["owner"] = "Gemeente Nergens"
    elif how == "dangling reference":
        row["reviews"][0]["items"][0]["item"] = 999
    elif how == "not a list":
        row["reviews"] = "geen lijst"
    elif how == "bad document":
        row["agreements"][0]["document"] = "bm90IGVlbiBwZGY="  # "not a pdf"
    return data


@pytest.mark.parametrize(
    ("how", "dutch"),
    [
        ("format", "Dit is geen"),
        ("version", "Versie 99 van het exportformaat"),
        ("missing field", "ontbrekende velden: title"),
        ("unknown field", "onbekende velden: geheim"),
        ("bad date", "geen geldige waarde"),
        ("bad choice", "is geen geldige keuze"),
        ("unknown organisation", "staat niet in de lijst met organisaties"),
        ("dangling reference", "verwijst naar sleutel 999"),
        ("not a list", "verwacht een lijst"),
        ("bad document", "moet een pdf"),
    ],
)
def test_import_refuses_a_malformed_file_in_dutch_and_changes_nothing(demo, how, dutch):
    with_agreement = Trajectory.objects.filter(agreements__isnull=False, reviews__isnull=False).distinct()
    data = trajectories_export(trajectories=Trajectory.objects.filter(pk=with_agreement.first().pk))
    before = export_all(), Person.objects.count(), User.objects.count(), Organisation.objects.count()
    with pytest.raises(TransferError) as raised:
        trajectories_import(data=_broken(data, how), as_copy=True)
    assert dutch in str(raised.value)
    assert (export_all(), Person.objects.count(), User.objects.count(), Organisation.objects.count()) == before


def test_import_reads_a_version_4_file_whose_strategies_all_went_to_actions(demo):
    """Version 5 added ``milestone`` to a strategy taken up; a file exported before reads as if it were null."""
    taken_up = Trajectory.objects.filter(cfir_assessments__ratings__uptakes__action__isnull=False).distinct()
    data = trajectories_export(trajectories=Trajectory.objects.filter(pk=taken_up.first().pk))
    data["version"] = 4
    uptakes = [
        uptake
        for assessment in data["trajectories"][0]["cfir_assessments"]
        for rating in assessment["ratings"]
        for uptake in rating["uptakes"]
    ]
    assert uptakes and all(u["milestone"] is None for u in uptakes)
    for uptake in uptakes:
        del uptake["milestone"]
    copy_ = trajectories_import(data=data, as_copy=True)["trajectories"][0]
    imported = StrategyUptake.objects.filter(rating__assessment__trajectory=copy_)
    assert imported.count() == len(uptakes)
    assert all(u.action_id is not None and u.milestone_id is None for u in imported)


def test_export_command_writes_an_organisation_and_the_import_command_reads_it(demo, tmp_path):
    target = tmp_path / "rotterdam.json"
    call_command("export_trajectories", "--organisation", "gemeente rotterdam", "-o", str(target), stderr=io.StringIO())
    data = json.loads(target.read_text())
    assert {t["owner"] for t in data["trajectories"]} == {"Gemeente Rotterdam"}
    by_slug = io.StringIO()
    call_command("export_trajectories", "--organisation", "gemeente-rotterdam", stdout=by_slug)
    assert by_slug.getvalue() == target.read_text()
    with pytest.raises(CommandError, match="No organisation"):
        call_command("export_trajectories", "--organisation", "Gemeente Nergens", stdout=io.StringIO())
    one = tmp_path / "one.json"
    pk = Trajectory.objects.get(title="Samen Leren").pk
    call_command("export_trajectories", "--trajectory", str(pk), "-o", str(one), stderr=io.StringIO())
    assert [t["title"] for t in json.loads(one.read_text())["trajectories"]] == ["Samen Leren"]

    with pytest.raises(CommandError, match="Nothing was imported"):
        call_command("import_trajectories", str(one), stdout=io.StringIO())
    out = io.StringIO()
    call_command("import_trajectories", str(one), "--as-copy", stdout=out)
    assert "Imported: Samen Leren" in out.getvalue()
    assert Trajectory.objects.filter(title="Samen Leren").count() == 2


def test_import_command_refuses_a_file_that_is_not_json(db, tmp_path):
    bad = tmp_path / "bad.json"
    bad.write_text("{niet json")
    with pytest.raises(CommandError, match="Cannot read"):
        call_command("import_trajectories", str(bad), stdout=io.StringIO())


# --- the pages --------------------------------------------------------------------------------------------


def test_beheerder_downloads_one_trajectory_as_a_json_attachment(client, beheerder, trajectory):
    client.force_login(beheerder)
    response = client.get(reverse("trajectories:trajectory_export", args=[trajectory.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="traject-schuldhulp-vroeg-')
    assert response["Cache-Control"] == "no-store, private"  # private: every logged-in answer (issue 16)
    assert [t["title"] for t in json.loads(response.content)["trajectories"]] == ["Schuldhulp Vroeg"]
    detail = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert reverse("trajectories:trajectory_export", args=[trajectory.pk]) in detail


def test_beheerder_of_a_participating_organisation_may_not_export(client, trajectory, outsider, outsider_org):
    trajectory.participants.add(outsider_org)
    client.force_login(outsider)
    assert client.get(reverse("trajectories:trajectory_export", args=[trajectory.pk])).status_code == 403
    detail = client.get(reverse("trajectories:detail", args=[trajectory.pk])).content.decode()
    assert reverse("trajectories:trajectory_export", args=[trajectory.pk]) not in detail


def test_organisation_export_holds_only_the_trajectories_it_gives(client, beheerder, trajectory, outsider_org):
    make_trajectory(owner=outsider_org, title="Elders Traject")
    client.force_login(beheerder)
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(reverse("trajectories:organisation_export", args=[trajectory.owner_id]))
    job = Job.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("account:job", args=[job.pk])
    assert run_queued_tasks() == 1
    response = client.get(reverse("account:job_file", args=[job.pk]))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith('attachment; filename="trajecten-gemeente-testdam-')
    assert [t["title"] for t in json.loads(b"".join(response.streaming_content))["trajectories"]] == [
        "Schuldhulp Vroeg"
    ]


def _upload(data, name="export.json"):
    content = data if isinstance(data, bytes) else json.dumps(data).encode()
    return SimpleUploadedFile(name, content, content_type="application/json")


def _post_import(client, url, body):
    """Post the import form; when it queued a job, run it and answer with the job's page (``.job`` set)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        response = client.post(url, body)
    if response.status_code != 302:
        response.job = None
        return response
    run_queued_tasks()
    job = Job.objects.latest("pk")
    page = client.get(response["Location"])
    page.job = job
    return page


def test_beheerder_imports_a_file_and_sees_what_was_imported(client, beheerder, trajectory):
    data = trajectories_export(trajectories=Trajectory.objects.filter(pk=trajectory.pk))
    url = reverse("trajectories:organisation_import", args=[trajectory.owner_id])
    client.force_login(beheerder)
    response = _post_import(client, url, {"file": _upload(data), "as_copy": "on"})
    assert response.status_code == 200 and response.job.status == Job.Status.DONE
    page = response.content.decode()
    assert "1 traject geïmporteerd: Schuldhulp Vroeg." in page
    assert Trajectory.objects.filter(title="Schuldhulp Vroeg").count() == 2


def test_import_form_shows_a_dutch_error_next_to_the_file_field_when_it_is_no_json(client, beheerder, trajectory):
    client.force_login(beheerder)
    url = reverse("trajectories:organisation_import", args=[trajectory.owner_id])
    response = client.post(url, {"file": _upload(b"{geen json")})
    assert response.status_code == 400
    page = response.content.decode()
    assert "Het bestand is geen JSON-exportbestand." in page
    assert 'id="error_1_id_file"' in page or "invalid-feedback" in page
    assert Trajectory.objects.count() == 1 and not Job.objects.exists()


def test_an_import_job_fails_with_a_dutch_reason_on_a_file_against_the_format(client, beheerder, trajectory):
    client.force_login(beheerder)
    url = reverse("trajectories:organisation_import", args=[trajectory.owner_id])
    response = _post_import(client, url, {"file": _upload({"format": "iets"})})
    assert response.job.status == Job.Status.FAILED
    assert "ontbrekende velden" in response.job.error
    assert "Dit is niet gelukt" in response.content.decode() and "ontbrekende velden" in response.content.decode()
    assert Trajectory.objects.count() == 1
    assert not response.job.source and not response.job.result  # the upload is gone once read


def test_import_page_needs_few_queries(client, beheerder, trajectory, django_assert_max_num_queries):
    client.force_login(beheerder)
    with django_assert_max_num_queries(8):
        response = client.get(reverse("trajectories:organisation_import", args=[trajectory.owner_id]))
    assert response.status_code == 200


def test_import_form_refuses_trajectories_of_another_organisation(client, beheerder, trajectory, outsider_org):
    elders = make_trajectory(owner=outsider_org, title="Elders Traject")
    data = trajectories_export(trajectories=Trajectory.objects.filter(pk=elders.pk))
    client.force_login(beheerder)
    response = _post_import(
        client,
        reverse("trajectories:organisation_import", args=[trajectory.owner_id]),
        {"file": _upload(data), "as_copy": "on"},
    )
    assert response.job.status == Job.Status.FAILED
    assert "hoort bij een andere organisatie" in response.job.error
    assert Trajectory.objects.filter(title="Elders Traject").count() == 1


def test_import_keeps_stakeholder_persons_with_their_keeper(db, trajectory, bewerker):
    from trajectories import services

    OrganisationFactory(name="Welzijn Noord")
    person = Person.objects.create(organisation=trajectory.owner, name="Fatima El Amrani", email="f@noord.nl")
    services.stakeholder_add(
        trajectory=trajectory,
        by=bewerker,
        person=person,
        side="gevend",
        level="wethouder",
        influence=5,
        support="neutraal",
        desired_support="steunend",
    )
    data = trajectories_export(trajectories=Trajectory.objects.filter(pk=trajectory.pk))
    assert data["persons"] == [
        {
            "key": 1,
            "organisation": trajectory.owner.name,
            "name": "Fatima El Amrani",
            "function": "",
            "employer": "",
            "email": "f@noord.nl",
            "phone": "",
            "erased_at": None,
            "created_at": person.created_at.astimezone(dt.UTC).isoformat(),
        }
    ]
    copy_ = trajectories_import(data=data, as_copy=True)["trajectories"][0]
    imported = Stakeholder.objects.get(trajectory=copy_)
    assert imported.person != person and imported.person.name == "Fatima El Amrani"


def test_failed_import_leaves_no_agreement_documents_behind(demo, settings):
    with_document = Trajectory.objects.filter(agreements__document__gt="").first()
    data = trajectories_export(trajectories=Trajectory.objects.filter(pk=with_document.pk))
    row = data["trajectories"][0]
    # Agreements come before the issued reports in the file: the document is written, then a report fails.
    row["report_records"] = [
        {"reason": "", "created_by": None, "created_at": "x", "period_start": "x", "period_end": "x"}
    ]
    files_before = sorted(p.name for p in (settings.MEDIA_ROOT / "agreements").rglob("*.pdf"))
    with pytest.raises(TransferError):
        trajectories_import(data=data, as_copy=True)
    assert sorted(p.name for p in (settings.MEDIA_ROOT / "agreements").rglob("*.pdf")) == files_before


@pytest.mark.parametrize(("persona", "status"), [("bewerker", 403), ("lezer", 403), ("outsider", 404)])
def test_only_a_beheerder_may_post_an_import(client, personas, trajectory, persona, status):
    data = trajectories_export(trajectories=Trajectory.objects.filter(pk=trajectory.pk))
    client.force_login(personas[persona])
    url = reverse("trajectories:organisation_import", args=[trajectory.owner_id])
    response = client.post(url, {"file": _upload(data), "as_copy": "on"})
    assert response.status_code == status
    assert Trajectory.objects.count() == 1


# --- issue 16, finding 5: a strict import ------------------------------------------------------------------
#
# Each test is one of the auditor's scenarios against the organisation's import form (Gemeente Testdam's
# beheerder imports; Gemeente Elders is the other tenant).

from trajectories.transfer_schema import MAX_CONTAINERS, read_document  # noqa: E402


def _rich(trajectory):
    """A trajectory with a person in its register, a review with items, an action and a signed agreement."""
    from tests.test_permissions import action_args, agreement_document_args, milestone_args, open_review
    from trajectories import services

    services.stakeholder_add(
        trajectory=trajectory,
        by=trajectory.created_by,
        person_fields={"name": "Wethouder Willemijn", "function": "Wethouder", "email": "w@testdam.nl"},
        side="gevend",
        level="wethouder",
        influence=5,
        support="steunend",
        desired_support="ambassadeur",
    )
    open_review(trajectory)
    action_args(trajectory)
    milestone_args(trajectory)
    agreement_document_args(trajectory)
    return trajectory


def _import(client, owner, data, *, as_copy=True):
    url = reverse("trajectories:organisation_import", args=[owner.pk])
    body = {"file": _upload(data)}
    if as_copy:
        body["as_copy"] = "on"
    return _post_import(client, url, body)


def _state(settings) -> tuple:
    """Everything an import could write: rows of the models involved and the files in storage."""
    from trajectories.models import Review

    media = settings.MEDIA_ROOT
    files = sorted(str(p) for p in media.rglob("*") if p.is_file()) if media.exists() else []
    counts = tuple(
        model.objects.count() for model in (Trajectory, Organisation, User, Person, Stakeholder, Agreement, Review)
    )
    return counts, files


@pytest.fixture
def testdam_file(trajectory):
    _rich(trajectory)
    return trajectories_export(trajectories=Trajectory.objects.filter(pk=trajectory.pk))


def test_import_keeps_every_person_with_the_importer_and_shares_with_nobody(
    client, beheerder, trajectory, testdam_file, outsider, outsider_org
):
    """Finding 5: persons were written into another organisation's register and the file chose who takes part."""
    data = copy.deepcopy(testdam_file)
    data["organisations"].append({"name": "Gemeente Elders", "kind": "gemeente", "financing": "onbekend"})
    data["persons"][0]["organisation"] = "Gemeente Elders"
    row = data["trajectories"][0]
    row["receiving_organisation"] = "Gemeente Elders"
    row["participants"] = ["Gemeente Elders"]
    elders_register = list(Person.objects.filter(organisation=outsider_org))
    client.force_login(beheerder)
    assert _import(client, trajectory.owner, data).status_code == 200
    imported = Trajectory.objects.exclude(pk=trajectory.pk).get()
    assert imported.owner == trajectory.owner
    assert imported.receiving_organisation is None and not imported.participants.exists()
    assert list(Person.objects.filter(organisation=outsider_org)) == elders_register
    assert imported.stakeholders.get().person.organisation == trajectory.owner
    # Nothing of it is visible to Elders.
    client.force_login(outsider)
    assert client.get(reverse("trajectories:detail", args=[imported.pk])).status_code == 404


def test_import_creates_no_look_alike_of_an_existing_organisation(
    client, beheerder, trajectory, testdam_file, outsider_org
):
    data = copy.deepcopy(testdam_file)
    # The agreement names the other tenant in another case and with spaces: it is referred to, not copied.
    data["organisations"].append({"name": " gemeente ELDERS ", "kind": "anders", "financing": "onbekend"})
    data["trajectories"][0]["agreements"][0]["organisation"] = " gemeente ELDERS "
    client.force_login(beheerder)
    before = set(Organisation.objects.values_list("name", flat=True))
    assert _import(client, trajectory.owner, data).status_code == 200
    assert set(Organisation.objects.values_list("name", flat=True)) == before
    imported = Trajectory.objects.exclude(pk=trajectory.pk).get()
    assert imported.agreements.get().organisation == outsider_org


def test_authors_outside_the_organisation_become_unknown_and_no_answer_tells_an_account_exists(
    client, beheerder, bewerker, trajectory, testdam_file, outsider
):
    """Finding 5: the import named other organisations' users as authors and told whether an account exists."""
    users_before = User.objects.count()
    client.force_login(beheerder)
    pages = []
    for email in (outsider.email, "niemand@nergens.nl"):  # an account elsewhere, and no account at all
        data = copy.deepcopy(testdam_file)
        data["users"] = [{"email": email, "full_name": "Iemand"}, {"email": bewerker.email, "full_name": "B"}]
        row = data["trajectories"][0]
        row["created_by"] = email
        row["reviews"][0]["attendees"] = [email, bewerker.email]
        row["reviews"][0]["created_by"] = bewerker.email
        response = _import(client, trajectory.owner, data)
        assert response.status_code == 200
        pages.append(response.job.summary)
        imported = Trajectory.objects.order_by("-pk").first()
        assert imported.created_by is None  # unknown: not the other organisation's user
        review = imported.reviews.get()
        assert list(review.attendees.all()) == [bewerker] and review.created_by == bewerker
    assert pages[0] == pages[1]
    assert "onbekend (1)" in pages[0]
    assert User.objects.count() == users_before
    assert not outsider.reviews_attended.exists()


def test_import_does_not_tell_whether_an_export_key_exists_elsewhere(
    client, beheerder, trajectory, testdam_file, outsider_org
):
    elders = make_trajectory(owner=outsider_org, title="Elders Geheim")
    client.force_login(beheerder)
    answers, exported = [], []
    keys = (str(elders.export_key), "00000000-0000-4000-8000-000000000000")
    for key in keys:
        data = copy.deepcopy(testdam_file)
        data["trajectories"][0]["key"] = key
        response = _import(client, trajectory.owner, data, as_copy=False)
        assert response.status_code == 200
        answers.append(response.job.summary)
        imported = Trajectory.objects.order_by("-pk").first()
        exported.append(
            trajectories_export(trajectories=Trajectory.objects.filter(pk=imported.pk))["trajectories"][0]["key"]
        )
    assert answers[0] == answers[1]
    assert "Elders Geheim" not in answers[0]
    assert Trajectory.objects.get(export_key=elders.export_key) == elders  # the other tenant's stays its own
    # Exported again, each keeps the file's key: nothing shows that the first key was taken elsewhere.
    assert exported == list(keys)
    # Imported again, the one whose key was taken is recognised as the organisation's own.
    again = copy.deepcopy(testdam_file)
    again["trajectories"][0]["key"] = keys[0]
    response = _import(client, trajectory.owner, again, as_copy=False)
    assert response.job.status == Job.Status.FAILED
    assert "bestaan hier al" in response.job.error
    # The organisation's own trajectory still counts as existing.
    response = _import(client, trajectory.owner, testdam_file, as_copy=False)
    assert response.job.status == Job.Status.FAILED
    assert "bestaan hier al: Schuldhulp Vroeg" in response.job.error


def _deep(levels: int):
    node: object = []
    for _ in range(levels):
        node = [node]
    return node


MALFORMED = {
    "deep nesting": lambda row: row.update(title=_deep(50)),
    "very deep nesting": lambda row: row.update(title="DEEP"),  # written below
    "NUL in a text": lambda row: row.update(title="Schuld\x00hulp"),
    "control character in a line": lambda row: row.update(title="Schuld\x1bhulp"),
    "lone surrogate": lambda row: row.update(commissioner="\ud800"),
    "list where a reference belongs": lambda row: row["reviews"][0]["items"][0].update(item=[1]),
    "text where a reference belongs": lambda row: row["actions"][0].update(review="1"),
    "null reference that is required": lambda row: row["reviews"][0]["items"][0].update(item=None),
    "huge number": lambda row: row["checklist_items"][0].update(position=10**30),
    "number of 5000 digits": lambda row: row["checklist_items"][0].update(position="HUGE"),  # written below
    "float for a whole number": lambda row: row["checklist_items"][0].update(position=1.5),
    "year 9999": lambda row: row.update(start_date="9999-12-31"),
    "impossible date": lambda row: row.update(start_date="2026-02-30"),
    "date and time without zone": lambda row: row.update(created_at="2026-01-01T10:00:00"),
    "text too long": lambda row: row.update(title="x" * 1_000),
    "object where a list belongs": lambda row: row.update(reviews={"0": {}}),
    "junk review phases": lambda row: row["reviews"][0].update(phases=["geen-fase", {"a": 1}]),
    "review phases not a list": lambda row: row["reviews"][0].update(phases="verkennen"),
    "review phase twice": lambda row: row["reviews"][0].update(phases=["verkennen", "verkennen"]),
    "key used twice": lambda row: row["checklist_items"][1].update(key=row["checklist_items"][0]["key"]),
    "not a pdf": lambda row: row["agreements"][0].update(document="bm90IGVlbiBwZGY="),
}


@pytest.mark.parametrize("how", MALFORMED)
def test_every_malformed_file_gets_a_dutch_error_and_writes_nothing(
    client, beheerder, trajectory, testdam_file, settings, how
):
    """What the form can tell from reading the file is said at the field; the rest is the import job's reason."""
    data = copy.deepcopy(testdam_file)
    MALFORMED[how](data["trajectories"][0])
    content = json.dumps(data).encode().replace(b'"HUGE"', b"9" * 5_000)
    content = content.replace(b'"DEEP"', b"[" * 100_000 + b"]" * 100_000)
    before = _state(settings)
    client.force_login(beheerder)
    response = _post_import(
        client, reverse("trajectories:organisation_import", args=[trajectory.owner_id]), {"file": _upload(content)}
    )
    if response.job is None:
        assert response.status_code == 400
        page = response.content.decode()
        assert 'id="id_file"' in page and "invalid-feedback" in page  # the form again, the error at the field
        error = page.split("invalid-feedback", 1)[1][:400]
    else:
        assert response.job.status == Job.Status.FAILED
        error = response.job.error
    dutch = ("verwacht", "geen", "bestand", "niet", "langer", "sleutel", "pdf", "stuurteken", "tijdzone", "twee keer")
    assert any(word in error for word in dutch), error
    assert _state(settings) == before


def test_a_file_too_large_for_the_worker_is_refused_before_it_is_read(
    client, beheerder, trajectory, testdam_file, monkeypatch
):
    monkeypatch.setattr("trajectories.forms.transfer.MAX_IMPORT_BYTES", 1_000)
    client.force_login(beheerder)
    response = _import(client, trajectory.owner, testdam_file)
    assert response.status_code == 400
    assert "groter dan" in response.content.decode()
    assert Trajectory.objects.count() == 1


def test_reading_is_bounded_before_anything_is_parsed(monkeypatch):
    """Finding 5: a 100 MB file peaked at 2.7 GB in a worker. Too many objects are counted, not built."""

    def no_parsing(*args, **kwargs):
        raise AssertionError("parsed a file that is over the limits")

    monkeypatch.setattr("trajectories.transfer_schema.json.loads", no_parsing)
    for content in (
        b"[" + b"{}," * MAX_CONTAINERS + b"{}]",  # many small objects: the memory of a parse
        b"[" + b"0," * 500_000 + b"0]",  # many values
        b"[" * 13 + b"]" * 13,  # deeper than an export
    ):
        with pytest.raises(TransferError):
            read_document(content)
    # Brackets inside text are text.
    monkeypatch.undo()
    assert read_document(json.dumps({"a": "[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{"}).encode()) == {
        "a": "[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{"
    }


def test_files_written_during_a_failed_import_are_removed_also_when_the_worker_is_stopped(
    trajectory, testdam_file, settings, monkeypatch
):
    """Finding 5: an export killed by the worker timeout left orphaned files behind."""
    from trajectories.services import transfer

    create = transfer._Importer._create  # writes one kind of object of a batch, agreements before the plan
    before = _state(settings)

    def pdfs() -> int:
        return len(list((settings.MEDIA_ROOT / "agreements").rglob("*.pdf")))

    existing = pdfs()

    def stopped_after_the_agreements(self, kind, *args, **kwargs):
        if kind.name == "plan":
            assert pdfs() > existing  # the imported document is written
            raise SystemExit(1)  # what gunicorn's timeout raises in a sync worker
        return create(self, kind, *args, **kwargs)

    monkeypatch.setattr(transfer._Importer, "_create", stopped_after_the_agreements)
    with pytest.raises(SystemExit):
        trajectories_import(data=testdam_file, as_copy=True, owner=trajectory.owner)
    assert _state(settings) == before


def test_an_imported_trajectory_answers_200_on_every_page(client, beheerder, trajectory, testdam_file):
    """Finding 5: junk review phases imported left a page at 500 for good. What the schema lets through works."""
    from tests.test_permissions import MATRIX, trajectory_args

    client.force_login(beheerder)
    assert _import(client, trajectory.owner, testdam_file).status_code == 200
    imported = Trajectory.objects.exclude(pk=trajectory.pk).get()
    urls = [
        reverse(name, args=[imported.pk])
        for name, (args_for, method, _expected) in MATRIX.items()
        if args_for is trajectory_args and method == "get"
    ]
    review = imported.reviews.get()
    urls += [
        reverse("trajectories:review", args=[imported.pk, review.pk]),
        reverse("trajectories:agreement", args=[imported.pk]),
    ]
    assert len(urls) > 20
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200 or response.status_code == 302 and url.endswith("/nieuw/"), url
