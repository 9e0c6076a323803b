"""Security headers on every page type: Content Security Policy with a nonce, no framing, no plugins."""

import re

import pytest
from django.urls import reverse

from .test_permissions import MATRIX

PAGES = sorted(name for name, (_args, method, expected) in MATRIX.items() if method == "get")


@pytest.mark.parametrize("name", PAGES)
def test_every_page_type_sends_a_strict_csp(name, client, world):
    trajectory, beheerder = world[0], world[1]["beheerder"]
    args_for, _method, expected = MATRIX[name]
    client.force_login(beheerder)
    response = client.get(reverse(name, args=args_for(trajectory) if args_for else None))
    assert response.status_code == expected["beheerder"]
    policy = response["Content-Security-Policy"]
    directives = dict(part.strip().split(" ", 1) for part in policy.split(";") if part.strip())
    # The nonce is only added when the response used one (HTML pages with their scripts).
    assert re.fullmatch(r"'self'( 'nonce-[\w+/=-]+')?", directives["script-src"]), policy
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["default-src"] == "'self'"
    assert "unsafe-inline" not in policy and "unsafe-eval" not in policy
    if response["Content-Type"].startswith("text/html") and response.status_code == 200:
        html = response.content.decode()
        assert "'nonce-" in directives["script-src"], f"{name}: an HTML page without a nonce"
        nonce = directives["script-src"].split("'nonce-")[1].rstrip("'")
        for tag in re.findall(r"<(?:script|style)\b[^>]*>", html):
            assert f'nonce="{nonce}"' in tag, f"{name}: {tag} has no nonce"
        assert not re.search(r"\sstyle=\"", html), f"{name}: inline style attribute"
        assert not re.search(r"\son[a-z]+=\"", html), f"{name}: inline event handler"


def test_admin_pages_send_the_csp_too(admin_client):
    response = admin_client.get(reverse("admin:index"))
    assert response.status_code == 200
    assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_production_settings_pass_the_deploy_check(tmp_path):
    """`check --deploy` with production settings (DEBUG off), in a fresh process as in production."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parent.parent
    env = {
        **os.environ,
        "DEBUG": "0",
        "SECRET_KEY": "x" * 20 + "-production-like-secret-key-with-enough-entropy-9f8e7d6c5b4a",
        "ALLOWED_HOSTS": "fii.gemeente.example.nl",
    }
    env.pop("SECURE_HSTS_PRELOAD", None)
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)  # set by the browser tests in this process, never in production
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_security_txt_is_served_as_rfc_9116_wants(client, settings):
    settings.FII_SECURITY_CONTACT = "mailto:cvd@gemeente.example.nl"
    response = client.get("/.well-known/security.txt")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    fields = dict(line.split(": ", 1) for line in response.content.decode().splitlines())
    assert fields["Contact"] == "mailto:cvd@gemeente.example.nl"
    assert fields["Canonical"] == "http://testserver/.well-known/security.txt"
    import datetime as dt

    expires = dt.datetime.fromisoformat(fields["Expires"].replace("Z", "+00:00"))
    assert dt.timedelta(days=300) < expires - dt.datetime.now(dt.UTC) <= dt.timedelta(days=366)


def test_sessions_end_after_thirty_idle_minutes(client, bewerker, trajectory, monkeypatch):
    import time

    clock = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: clock[0])
    client.force_login(bewerker)
    url = trajectory.get_absolute_url()
    assert client.get(url).status_code == 200
    clock[0] += 29 * 60  # still active: each request moves the deadline
    assert client.get(url).status_code == 200
    clock[0] += 29 * 60
    assert client.get(url).status_code == 200
    clock[0] += 31 * 60
    response = client.get(url)
    assert response.status_code == 302 and response["Location"].startswith("/inloggen/")
    assert "zonder activiteit" in client.get(response["Location"]).content.decode()


def test_leaving_an_organisation_ends_the_session(client, bewerker, beheerder, trajectory):
    from organisations import services as org_services

    client.force_login(bewerker)
    assert client.get(trajectory.get_absolute_url()).status_code == 200
    org_services.membership_remove(membership=bewerker.memberships.get())
    response = client.get(reverse("trajectories:portfolio"))
    assert response.status_code == 302  # logged out, not merely without trajectories
    assert "_auth_user_id" not in client.session


def test_deactivating_a_user_ends_their_sessions_and_other_saves_do_not(client, bewerker, trajectory):
    client.force_login(bewerker)
    bewerker.full_name = "Nieuwe naam"
    bewerker.save()
    assert client.get(trajectory.get_absolute_url()).status_code == 200
    bewerker.is_active = False
    bewerker.save()
    assert client.get(trajectory.get_absolute_url()).status_code == 302


def test_logging_in_rotates_the_session_key(client, bewerker):
    client.get(reverse("login"))
    session = client.session
    session["probe"] = 1
    session.save()
    before = session.session_key
    client.cookies["sessionid"] = before
    response = client.post(reverse("login"), {"username": bewerker.email, "password": "correct-horse-battery"})
    assert response.status_code == 302
    assert client.session.session_key != before


def test_login_is_throttled_after_five_failures_and_logged(client, bewerker, caplog):
    url = reverse("login")
    wrong = {"username": bewerker.email, "password": "fout-wachtwoord"}
    for _ in range(4):
        assert client.post(url, wrong).status_code == 200  # the form again, with its error
    with caplog.at_level("WARNING"):
        locked = client.post(url, wrong)
    assert locked.status_code == 429
    assert "Te veel pogingen" in locked.content.decode()
    assert any("AXES" in record.getMessage() for record in caplog.records)
    # Even the right password does not get in while the lockout lasts.
    right = {"username": bewerker.email, "password": "correct-horse-battery"}
    assert client.post(url, right).status_code == 429
    assert "_auth_user_id" not in client.session


def test_a_successful_login_resets_the_failure_count(client, bewerker):
    url = reverse("login")
    wrong = {"username": bewerker.email, "password": "fout-wachtwoord"}
    right = {"username": bewerker.email, "password": "correct-horse-battery"}
    for _ in range(4):
        client.post(url, wrong)
    assert client.post(url, right).status_code == 302
    client.post(reverse("logout"))
    for _ in range(4):
        assert client.post(url, wrong).status_code == 200


XSS = "<script>alert(1)</script><img src=x onerror=alert(2)>"


def fill_every_text_field_with(payload: str) -> int:
    """Put the payload in every free-text column of every row of our apps; returns how many columns."""
    from django.apps import apps
    from django.db import models

    columns = 0
    for label in ("organisations", "trajectories"):
        for model in apps.get_app_config(label).get_models():
            fields = [
                f
                for f in model._meta.concrete_fields
                if isinstance(f, models.CharField | models.TextField)
                and not isinstance(f, models.EmailField)
                and not f.choices
                and not f.unique
                and f.name not in {"password", "token"}
            ]
            if not fields:
                continue
            columns += len(fields)
            for pk in model._base_manager.values_list("pk", flat=True):
                values = {f.attname: (payload + f" {pk}")[: f.max_length] if f.max_length else payload for f in fields}
                if model._meta.label == "organisations.AuditEvent":
                    # Append-only (a trigger refuses UPDATE on PostgreSQL): add a copy carrying the payload.
                    event = model._base_manager.get(pk=pk)
                    fields_kept = [f for f in model._meta.concrete_fields if not f.primary_key]
                    kept = {f.attname: getattr(event, f.attname) for f in fields_kept}
                    model.objects.create(**{**kept, **values})
                    continue
                model._base_manager.filter(pk=pk).update(**values)
    return columns


def test_every_text_field_renders_escaped_in_html_and_pdf(client, beheerder, trajectory):
    import io

    from pypdf import PdfReader

    from tests.jobhelpers import pdf_by_job

    from .test_permissions import MATRIX

    pages = []
    for name in PAGES:  # build every page's objects first: candidates, stakeholders, reviews, ...
        args_for, _method, expected = MATRIX[name]
        if expected["beheerder"] == 200:
            pages.append((name, reverse(name, args=args_for(trajectory) if args_for else None)))
    assert fill_every_text_field_with(XSS) > 80  # every free-text column of both apps
    client.force_login(beheerder)
    pdfs, moved_on = 0, []
    for name, url in pages:
        response = client.get(url)
        if response.status_code == 302:  # a later builder changed its state (e.g. finalised the open review)
            moved_on.append(name)
            continue
        assert response.status_code == 200, name
        kind = response["Content-Type"]
        if kind.startswith("text/html"):
            html = response.content.decode()
            assert "<script>alert" not in html and "<img src=x" not in html, f"{name} renders user text unescaped"
        elif kind == "application/pdf" and name.endswith("report_pdf"):
            text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
            assert "<script>alert(1)</script>" in text, f"{name}: the payload should appear as plain text"
            pdfs += 1
    # The portfolio report's PDF is made by a background job (issue 21): the file under Downloads, checked alike.
    portfolio = pdf_by_job(client, "trajectories:portfolio_report_pdf", trajectory.owner_id)
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(portfolio)).pages)
    assert "<script>alert(1)</script>" in text, "the portfolio PDF: the payload should appear as plain text"
    pdfs += 1
    assert pdfs >= 3
    assert len(moved_on) <= 2, moved_on
