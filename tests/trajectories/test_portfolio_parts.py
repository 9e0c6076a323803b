"""The portfolio's cached regions (issue 21): the results region keyed on what it shows, the filter form on the
user's access version and the values asked for; and the page of ids and its count read in one statement."""

import pytest
from django.core.paginator import Paginator
from django.test import Client
from django.urls import reverse

from organisations.models import Organisation
from tests.factories import make_trajectory
from trajectories import services
from trajectories.models import Trajectory
from trajectories.views.trajectories import PAGE_SIZE, _page_with_count

pytestmark = pytest.mark.django_db

URL = "/portefeuille/"
HTMX = {"HX-Request": "true"}


def client_for(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def results(client, query=None) -> str:
    """The results region, as htmx asks for it (the same cached part as in the whole page)."""
    response = client.get(URL, query or {}, headers=HTMX)
    assert response.status_code == 200
    return response.text


def test_the_url_is_the_portfolio():
    assert reverse("trajectories:portfolio") == URL


def test_a_renamed_trajectory_shows_in_the_results_at_once(trajectory, bewerker):
    client = client_for(bewerker)
    assert "Schuldhulp Vroeg" in results(client)
    loaded = Trajectory.objects.get(pk=trajectory.pk)
    services.trajectory_update(
        trajectory=loaded, by=bewerker, expected_version=loaded.version, fields={"title": "Schuldhulp Laat"}
    )
    page = client.get(URL).text
    assert "Schuldhulp Laat" in page and "Schuldhulp Vroeg" not in page


def test_a_new_trajectory_shows_in_the_results_and_the_count_at_once(trajectory, bewerker, municipality):
    client = client_for(bewerker)
    assert "1 traject<" in results(client)
    make_trajectory(owner=municipality, by=bewerker, title="Amigo's")
    shown = results(client)
    assert "2 trajecten" in shown and "Amigo&#x27;s" in shown


def test_another_organisations_rows_never_show(trajectory, bewerker, outsider, outsider_org):
    """Both users see one trajectory on page 1 without filters: only the (id, revision) pairs tell the two
    results regions apart."""
    make_trajectory(owner=outsider_org, by=outsider, title="Elders Eropaf")
    mine, theirs = client_for(bewerker), client_for(outsider)
    assert "Schuldhulp Vroeg" in results(mine)
    shown = results(theirs)
    assert "Elders Eropaf" in shown and "Schuldhulp Vroeg" not in shown
    shown = results(mine)
    assert "Schuldhulp Vroeg" in shown and "Elders Eropaf" not in shown


def test_the_export_links_carry_the_query_asked_for(trajectory, bewerker):
    """ "Schuld" and "Vroeg" find the same one trajectory: the regions differ only in the query their links carry."""
    client = client_for(bewerker)
    assert "csv?q=Schuld" in results(client, {"q": "Schuld"})
    shown = results(client, {"q": "Vroeg"})
    assert "csv?q=Vroeg" in shown and "q=Schuld" not in shown


def test_the_empty_results_offer_a_new_trajectory_only_to_who_may_create_one(bewerker, lezer):
    offer = reverse("trajectories:create")
    assert offer in results(client_for(bewerker), {"q": "niets"})
    assert offer not in results(client_for(lezer), {"q": "niets"})


def test_the_page_asked_for_is_shown(bewerker, municipality):
    for i in range(PAGE_SIZE + 2):
        make_trajectory(owner=municipality, by=bewerker, title=f"Traject {i:02d}")
    client = client_for(bewerker)
    assert "Traject 00" in results(client, {"page": 1})
    shown = results(client, {"page": 2})
    assert "Traject 26" in shown and "Traject 00" not in shown and "Pagina 2 van 2" in shown


def test_the_count_shows_a_trajectory_added_to_another_page(bewerker, municipality):
    """The first page's rows stay the same when a trajectory is added that sorts last: only the count changes."""
    for i in range(PAGE_SIZE):
        make_trajectory(owner=municipality, by=bewerker, title=f"Traject {i:02d}")
    client = client_for(bewerker)
    assert "25 trajecten" in results(client)
    make_trajectory(owner=municipality, by=bewerker, title="Zuid")
    shown = results(client)
    assert "26 trajecten" in shown and "Pagina 1 van 2" in shown


def organisation_choices(client) -> list[str]:
    page = client.get(URL).text
    select = page.split('name="organisation"', 1)[1].split("</select>", 1)[0]
    return [option.split(">", 1)[1].split("<", 1)[0] for option in select.split("<option")[2:]]


def test_the_filter_form_shows_each_user_their_own_choices(trajectory, bewerker, outsider):
    assert organisation_choices(client_for(bewerker)) == ["Gemeente Testdam"]
    assert organisation_choices(client_for(outsider)) == []


def test_the_filter_form_shows_the_values_asked_for(trajectory, bewerker):
    client = client_for(bewerker)
    assert 'value="Schuld"' in client.get(URL, {"q": "Schuld"}).text
    page = client.get(URL, {"q": "Vroeg", "phase": "verkennen"}).text
    assert 'value="Vroeg"' in page and 'value="Schuld"' not in page
    assert '<option value="verkennen" selected>' in page


def test_a_warm_portfolio_reads_the_page_and_its_count_in_one_statement(
    trajectory, bewerker, django_assert_num_queries
):
    client = client_for(bewerker)
    client.get(URL)
    with django_assert_num_queries(3):  # session, user, the page of (id, revision) with the count
        client.get(URL)


@pytest.mark.parametrize("asked", [None, "1", "2", "3", "0", "-1", "x", "", "2.0", "1.5", "999"])
@pytest.mark.parametrize("count", [0, 1, PAGE_SIZE, PAGE_SIZE + 1, 2 * PAGE_SIZE + 3])
def test_the_page_with_its_count_is_the_page_paginator_gives(asked, count):
    Organisation.objects.bulk_create(Organisation(name=f"T{i:03d}") for i in range(count))
    listed = Organisation.objects.filter(name__startswith="T").order_by("name", "pk")
    expected = Paginator(listed, PAGE_SIZE).get_page(asked)
    page = _page_with_count(listed, asked)
    assert (page.number, page.paginator.count, page.paginator.num_pages) == (
        expected.number,
        expected.paginator.count,
        expected.paginator.num_pages,
    )
    assert [t.pk for t in page.object_list] == [t.pk for t in expected.object_list]
