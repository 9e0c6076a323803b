"""The header of every page is rendered once per distinct header and kept (fii/templatetags/site.py, issue 21):
what differs per user, page or language must still differ."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import translation
from django.utils.safestring import mark_safe

from fii.templatetags import site
from organisations.models import User
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PORTFOLIO = "/portefeuille/"
MY_WEEK = "/"


def client_for(user, **kwargs) -> Client:
    client = Client(**kwargs)
    client.force_login(user)
    return client


def get(client, path):
    with translation.override(translation.get_language()):  # the client activates the page's language
        return client.get(path)


def header(client, path=PORTFOLIO) -> str:
    response = get(client, path)
    assert response.status_code == 200
    return response.text.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]


def colleague(municipality, role, name, email):
    user = UserFactory(email=email, full_name=name)
    MembershipFactory(user=user, organisation=municipality, role=role)
    return user


def test_each_user_sees_their_own_name(municipality, bewerker):
    first = colleague(municipality, bewerker.memberships.get().role, "Anna de Vries", "anna@testdam.nl")
    second = colleague(municipality, bewerker.memberships.get().role, "Bram Jansen", "bram@testdam.nl")
    assert "Anna de Vries" in header(client_for(first))
    shown = header(client_for(second))
    assert "Bram Jansen" in shown and "Anna de Vries" not in shown


def test_a_new_unread_count_shows_at_once(bewerker):
    client = client_for(bewerker)
    assert "badge" not in header(client)
    User.objects.filter(pk=bewerker.pk).update(unread_notifications=3)
    assert '<span class="badge rounded-pill text-bg-warning">3<' in header(client)
    User.objects.filter(pk=bewerker.pk).update(unread_notifications=2)
    assert '<span class="badge rounded-pill text-bg-warning">2<' in header(client)


def test_the_current_section_is_marked(bewerker):
    client = client_for(bewerker)
    portfolio = header(client, PORTFOLIO)
    assert f'href="{PORTFOLIO}" aria-current="page"' in portfolio
    week = header(client, MY_WEEK)
    assert f'href="{MY_WEEK}" aria-current="page"' in week and f'href="{PORTFOLIO}" aria-current' not in week


def test_the_language_of_the_page_is_the_headers(bewerker):
    client = client_for(bewerker)
    assert "Portefeuille" in header(client, PORTFOLIO)
    english = header(client, "/en" + PORTFOLIO)
    assert "Portfolio" in english and "Portefeuille" not in english and 'href="/en/portefeuille/"' in english


def test_the_back_office_link_only_for_staff(bewerker, municipality):
    staff = colleague(municipality, bewerker.memberships.get().role, bewerker.full_name, "staff@testdam.nl")
    User.objects.filter(pk=staff.pk).update(is_staff=True)
    staff_client = client_for(User.objects.get(pk=staff.pk))
    assert "/admin/" in header(staff_client)
    assert "/admin/" not in header(client_for(bewerker))


def test_each_session_gets_its_own_csrf_token_and_the_page_its_own_address(bewerker):
    """Two sessions of one user share the kept header: the token and the address still differ."""
    one, other = client_for(bewerker, enforce_csrf_checks=True), client_for(bewerker, enforce_csrf_checks=True)
    first = header(one, PORTFOLIO + "?q=<b>")
    second = header(other, PORTFOLIO + "?q=x")
    assert 'name="next" type="hidden" value="/portefeuille/?q=%3Cb%3E"' in first
    assert 'name="next" type="hidden" value="/portefeuille/?q=x"' in second
    assert one.cookies["csrftoken"].value != other.cookies["csrftoken"].value
    for client, shown in ((one, first), (other, second)):
        token = shown.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]
        assert len(token) == 64 and "fii-kept" not in shown
        # A logout with the token from the header works for its own session.
        response = client.post("/uitloggen/", {"csrfmiddlewaretoken": token})
        assert response.status_code == 302


def test_a_page_without_a_login_has_a_header_without_navigation(client):
    shown = header(client, "/inloggen/")
    assert "Portefeuille" not in shown and "language-switcher" in shown and "fii-kept" not in shown


def footer(client, path=PORTFOLIO) -> str:
    response = get(client, path)
    assert response.status_code == 200
    return response.text.split('<footer class="site-footer', 1)[1]


def test_the_footer_links_back_to_the_page_itself(bewerker):
    client = client_for(bewerker)
    assert 'href="/portefeuille/?q=a" data-session-action="expired"' in footer(client, PORTFOLIO + "?q=a")
    shown = footer(client, MY_WEEK)
    assert f'href="{MY_WEEK}" data-session-action="expired"' in shown and "?q=a" not in shown


def test_the_footer_has_the_idle_warning_only_with_a_login(bewerker, client, settings):
    assert 'id="idle-warning"' not in footer(client, "/inloggen/")
    settings.FII_SESSION_IDLE_SECONDS = 10 * 60
    assert "over 2 minuten uitgelogd" in footer(client_for(bewerker))
    settings.FII_SESSION_IDLE_SECONDS = 60
    assert "over 1 minuut uitgelogd" in footer(client_for(bewerker))


def test_the_footer_speaks_the_pages_language(bewerker):
    client = client_for(bewerker)
    assert "Toegankelijkheid" in footer(client)
    english = footer(client, "/en" + PORTFOLIO)
    assert "Accessibility" in english and "Toegankelijkheid" not in english


def test_with_debug_on_a_template_edit_shows_at_once(client, bewerker, settings, monkeypatch):
    """In development the kept header would hide an edit of its template until the server restarts."""
    from fii.templatetags import site

    settings.DEBUG = True
    client.force_login(bewerker)
    client.get("/")
    monkeypatch.setattr(site, "render_to_string", lambda name, values: mark_safe(f"<p>edited {name}</p>"))
    page = client.get("/").content.decode()
    assert "<p>edited components/site_header.html</p>" in page
    assert "<p>edited components/site_footer.html</p>" in page


# What a page's header or footer may show differently on every request, and so is left out of the comparison.
PER_REQUEST = [
    (re.compile(r'(name="csrfmiddlewaretoken" value=|"X-CSRFToken": )"[^"]*"'), r'\1""'),
    (re.compile(r'nonce="[^"]*"'), 'nonce=""'),
    (re.compile(r'data-idle-seconds="\d+"'), 'data-idle-seconds=""'),
]


def header_and_footer(client, path) -> str:
    html = get(client, path).text
    shown = html.split('<header class="site-header">', 1)[1].split("</header>", 1)[0]
    shown += html[html.index("<footer") :]
    for pattern, replacement in PER_REQUEST:
        shown = pattern.sub(replacement, shown)
    return shown


@pytest.mark.parametrize("language", ["nl", "en"])
def test_a_kept_header_or_footer_is_the_one_this_user_would_get_afresh(world, language):
    """The guard for the next template edit: whatever a header or footer shows of its user must be in the key of
    `_kept`, or one user gets another's. The four personas get the same name, so every value in today's key is
    the same for them and each page's header and footer are kept once and handed to all four; they still differ
    in everything else a template could show (address, role, organisation, id, two-factor, memberships). Every
    persona's page is rendered afresh (nothing kept), then again after the others, with what they left."""
    trajectory, personas = world
    User.objects.filter(pk__in=[user.pk for user in personas.values()]).update(full_name="Sam de Vries")
    clients = {name: client_for(User.objects.get(pk=user.pk)) for name, user in personas.items()}
    with translation.override(language):
        paths = [
            reverse("trajectories:my_week"),
            reverse("trajectories:portfolio"),
            reverse("trajectories:detail", args=[trajectory.pk]),
            reverse("account:overview"),
            reverse("organisations:audit_log", args=[trajectory.owner_id]),
        ]
    for path in paths:
        fresh = {}
        for name, client in clients.items():
            site._kept.clear()
            fresh[name] = header_and_footer(client, path)
        site._kept.clear()
        for name, client in [*clients.items(), *reversed(clients.items())]:
            assert header_and_footer(client, path) == fresh[name], f"{name} got a kept part of another on {path}"
        assert len(site._kept) == 2, site._kept.keys()  # one header and one footer served all four: reuse tested
