"""The cache's version numbers (fii/cache_versions.py): raised in the writer's transaction, a missing row is safe,
one raise per object, and the models carry none of it."""

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from fii import cache_versions
from fii.models import CacheVersion
from organisations.access import ACCESS, access_changed, access_version
from organisations.models import Membership, Role, User
from tests.factories import OrganisationFactory
from trajectories import revisions, services
from trajectories.calendar import calendar_token_for
from trajectories.models import Trajectory

pytestmark = pytest.mark.django_db


def revision(trajectory) -> int:
    return cache_versions.current(revisions.REVISION, trajectory.pk)


def test_a_trajectory_without_a_version_row_is_never_served_stale(trajectory, bewerker):
    # As after a bulk_create that sent no signal: the trajectory has no row, so it reads as revision 0.
    CacheVersion.objects.filter(scope=revisions.REVISION, object_id=trajectory.pk).delete()
    assert revision(trajectory) == 0
    client = Client()
    client.force_login(bewerker)
    url = reverse("trajectories:detail", args=[trajectory.pk])
    assert "Nieuwe titel" not in client.get(url).text  # cached under revision 0
    services.trajectory_update(
        trajectory=Trajectory.objects.get(pk=trajectory.pk),
        by=bewerker,
        expected_version=trajectory.version,
        fields={"title": "Nieuwe titel"},
        participants=[],
    )
    assert revision(trajectory) == 1  # the first raise inserts 1, never the 0 the page was cached under
    assert "Nieuwe titel" in client.get(url).text


def test_the_raise_is_part_of_the_writers_transaction(trajectory, bewerker):
    before = revision(trajectory)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.action_create(trajectory=trajectory, by=bewerker, description="Bellen")
        assert revision(trajectory) > before  # seen with the data it stands for, before the commit
        raise RuntimeError
    assert revision(trajectory) == before  # and gone with it


def test_an_object_listed_twice_is_raised_once(bewerker, municipality):
    other = OrganisationFactory(name="Wijkteam")
    Membership.objects.create(user=bewerker, organisation=other, role=Role.LEZER)
    before = access_version(User.objects.get(pk=bewerker.pk))
    # A join that lists the user once per membership: one row in the upsert all the same (PostgreSQL refuses to
    # update a row twice in one statement; SQLite would count twice).
    members = User.objects.filter(memberships__organisation_id__in=[municipality.pk, other.pk])
    assert members.count() == 2
    cache_versions.raise_for(ACCESS, members)
    assert access_version(User.objects.get(pk=bewerker.pk)) == before + 1


def test_the_raw_version_of_a_row_reads_what_the_subquery_reads(bewerker, beheerder, lezer):
    """number_of_row (the session's user, every request) against number (a queryset subquery): 0 without a row,
    each user's own number with one, every raise seen, one row per user."""
    from organisations.access import with_access_version

    def both():
        users = User.objects.filter(pk__in=[bewerker.pk, beheerder.pk, lezer.pk]).order_by("pk")
        raw = dict(with_access_version(users).values_list("pk", "access_version"))
        subquery = dict(users.annotate(v=cache_versions.number(ACCESS)).values_list("pk", "v"))
        return raw, subquery

    CacheVersion.objects.filter(scope=ACCESS).delete()
    raw, subquery = both()
    assert raw == subquery == {bewerker.pk: 0, beheerder.pk: 0, lezer.pk: 0}
    cache_versions.raise_ids(ACCESS, User, [bewerker.pk])
    cache_versions.raise_ids(ACCESS, User, [bewerker.pk, lezer.pk])
    CacheVersion.objects.create(scope="another-scope", object_id=beheerder.pk, number=7)  # another scope's row
    raw, subquery = both()
    assert raw == subquery == {bewerker.pk: 2, beheerder.pk: 0, lezer.pk: 1}


def test_a_user_loaded_without_the_version_reads_it_in_one_statement(bewerker, django_assert_num_queries):
    access_changed([Membership.objects.get(user=bewerker).organisation_id])
    plain = User.objects.get(pk=bewerker.pk)
    expected = cache_versions.current(ACCESS, bewerker.pk)
    with django_assert_num_queries(1):
        assert access_version(plain) == expected > 0
    with django_assert_num_queries(0):
        access_version(plain)  # kept on the object for the request


def test_a_review_page_reads_the_revision_with_the_review(trajectory, bewerker):
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=["verkennen"]
    )
    client = Client()
    client.force_login(bewerker)
    assert "Kort verslag" not in client.get(review.get_absolute_url()).text
    services.review_update(
        review=review,
        by=bewerker,
        expected_version=review.version,
        held_on=review.held_on,
        summary="Kort verslag",
        other_attendees="",
        attendees=[bewerker],
    )
    assert "Kort verslag" in client.get(review.get_absolute_url()).text


def test_cached_pages_read_the_versions_without_a_statement_of_their_own(
    trajectory, bewerker, django_assert_num_queries
):
    # The same counts as when the numbers were fields of Trajectory and User (issue 20): session, user (with its
    # access version), then the page's own reads (with the revision; the portfolio's page of ids carries its count
    # since issue 21). Memberships come from the cache.
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=timezone.localdate(), phases=["verkennen"]
    )
    client = Client()
    client.force_login(bewerker)
    pages = {reverse("trajectories:portfolio"): 3, trajectory.get_absolute_url(): 3, review.get_absolute_url(): 3}
    for url, statements in pages.items():
        client.get(url)
        with django_assert_num_queries(statements):
            assert client.get(url).status_code == 200


def _version_reads_of_their_own(queries) -> list[str]:
    return [q["sql"] for q in queries if q["sql"].startswith('SELECT "fii_cacheversion"')]


def test_the_calendar_feed_reads_the_access_version_with_its_token(trajectory, bewerker):
    token = calendar_token_for(bewerker).token
    for url in (
        reverse("trajectories:calendar_feed", args=[token]),
        reverse("trajectories:trajectory_calendar_feed", args=[token, trajectory.pk]),
    ):
        with CaptureQueriesContext(connection) as queries:
            assert Client().get(url).status_code == 200
        assert _version_reads_of_their_own(queries.captured_queries) == []
