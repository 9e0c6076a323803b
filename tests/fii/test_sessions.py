"""An ended session or a failed CSRF check never puts a login page into a fragment (issue 18)."""

import time

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from trajectories import services

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def review(trajectory, bewerker):
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=bewerker)
    return services.review_start(trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=["verkennen"])


def _item_url(review):
    item = review.items.order_by("position", "pk").first()
    return reverse("trajectories:review_item", args=[review.trajectory_id, review.pk, item.pk]), item


@pytest.fixture
def clock(monkeypatch):
    now = [1_800_000_000.0]
    monkeypatch.setattr(time, "time", lambda: now[0])
    return now


def test_htmx_save_after_logout_answers_401_without_the_login_page(client, bewerker, review):
    client.force_login(bewerker)
    url, item = _item_url(review)
    client.logout()  # as if logged out in another tab
    response = client.post(url, {"note": "Niet kwijtraken"}, **HTMX)
    assert response.status_code == 401
    assert response["HX-Reswap"] == "none"
    assert response["X-FII-Failure"] == "session-expired"
    body = response.content.decode()
    assert "Uw sessie is verlopen" in body and "<form" not in body
    item.refresh_from_db()
    assert item.note == ""


def test_htmx_save_after_the_idle_logout_answers_401(client, bewerker, review, clock):
    client.force_login(bewerker)
    url, item = _item_url(review)
    assert client.get(review.get_absolute_url()).status_code == 200
    clock[0] += 31 * 60
    response = client.post(url, {"colour": "rood"}, **HTMX)
    assert response.status_code == 401
    item.refresh_from_db()
    assert item.colour == ""


def test_plain_post_after_logout_still_goes_to_the_login_page(client, bewerker, review):
    url, _item = _item_url(review)
    response = client.post(url, {"note": "Zonder JavaScript"})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_htmx_answers_tell_the_page_how_long_the_session_has(client, bewerker, review, clock, settings):
    settings.FII_SESSION_IDLE_SECONDS = 30 * 60
    client.force_login(bewerker)
    url, _item = _item_url(review)
    client.get(review.get_absolute_url())
    clock[0] += 10 * 60
    response = client.post(url, {"colour": "groen"}, **HTMX)
    assert response.status_code == 200
    assert response["X-FII-Idle-Seconds"] == str(30 * 60)  # the request itself moved the deadline


def test_page_carries_the_idle_clock_and_the_warning(client, bewerker, review, clock):
    client.force_login(bewerker)
    client.get(review.get_absolute_url())
    clock[0] += 5 * 60
    body = client.get(review.get_absolute_url()).content.decode()
    assert 'data-idle-seconds="1800"' in body
    assert 'data-idle-warn="120"' in body
    assert 'id="idle-warning"' in body and "Blijf ingelogd" in body
    assert "over 2 minuten" in body


def test_login_page_has_no_idle_warning(client):
    body = client.get(reverse("login")).content.decode()
    assert "data-idle-seconds" not in body and 'id="idle-warning"' not in body


def test_keepalive_restarts_the_idle_clock(client, bewerker, clock):
    client.force_login(bewerker)
    client.get(reverse("trajectories:portfolio"))
    clock[0] += 29 * 60
    response = client.post(reverse("session_keepalive"))
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "idle_seconds_left": 1800}
    clock[0] += 29 * 60  # 58 minutes after the last page, 29 after "Blijf ingelogd"
    assert client.get(reverse("trajectories:portfolio")).status_code == 200


def test_keepalive_after_the_idle_logout_says_expired(client, bewerker, clock):
    client.force_login(bewerker)
    client.get(reverse("trajectories:portfolio"))
    clock[0] += 31 * 60
    response = client.post(reverse("session_keepalive"))
    assert response.status_code == 401
    assert response["X-FII-Failure"] == "session-expired"
    assert client.get(reverse("trajectories:portfolio")).status_code == 302


def test_keepalive_is_post_only(client, bewerker):
    client.force_login(bewerker)
    assert client.get(reverse("session_keepalive")).status_code == 405


def test_csrf_failure_answers_htmx_with_a_403_it_does_not_swap(bewerker, review):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bewerker)
    url, item = _item_url(review)
    response = client.post(url, {"note": "Zonder cookie"}, **HTMX)
    assert response.status_code == 403
    assert response["HX-Reswap"] == "none"
    assert response["X-FII-Failure"] == "csrf"
    assert "Deze pagina is verlopen" in response.content.decode()
    item.refresh_from_db()
    assert item.note == ""


def test_csrf_failure_page_explains_in_dutch(bewerker, review):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bewerker)
    url, _item = _item_url(review)
    response = client.post(url, {"note": "Zonder cookie"}, HTTP_REFERER="http://testserver" + review.get_absolute_url())
    assert response.status_code == 403
    body = response.content.decode()
    assert "Pagina verlopen" in body
    assert f'href="http://testserver{review.get_absolute_url()}"' in body


def test_csrf_failure_page_does_not_link_to_another_site(bewerker, review):
    client = Client(enforce_csrf_checks=True)
    client.force_login(bewerker)
    url, _item = _item_url(review)
    response = client.post(url, {"note": "x"}, HTTP_REFERER="https://evil.example/")
    assert response.status_code == 403
    assert "evil.example" not in response.content.decode()


def test_review_table_keeps_drafts_only_for_editors(client, bewerker, lezer, review):
    client.force_login(bewerker)
    body = client.get(review.get_absolute_url()).content.decode()
    assert f'data-draft-scope="review-{review.pk}"' in body
    assert "data-draft-autosave" in body
    client.force_login(lezer)
    body = client.get(review.get_absolute_url()).content.decode()
    assert "data-draft-scope" not in body
