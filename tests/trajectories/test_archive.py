"""Archive instead of delete: hidden from lists, read-only everywhere, restored unchanged."""

import pytest
from django.urls import reverse
from django.utils import timezone

from fii import cache_versions
from tests.test_permissions import MATRIX, POST_DATA, WRITE_FORM
from trajectories import revisions, services
from trajectories.models import Action, Trajectory

ARCHIVED_MESSAGE = "gearchiveerd"


def _archive(trajectory, by, reason="Overgedragen aan de ontvangende organisatie"):
    return services.trajectory_archive(trajectory=trajectory, by=by, reason=reason)


def test_beheerder_archives_with_a_reason_and_it_leaves_the_portfolio(client, trajectory, beheerder):
    client.force_login(beheerder)
    response = client.post(reverse("trajectories:archive", args=[trajectory.pk]), {"reason": "Klaar"})
    assert response.status_code == 302
    trajectory.refresh_from_db()
    assert trajectory.archived_at is not None
    assert trajectory.archived_by == beheerder
    assert trajectory.archive_reason == "Klaar"
    portfolio = client.get(reverse("trajectories:portfolio"))
    assert "Schuldhulp Vroeg" not in portfolio.text
    archive = client.get(reverse("trajectories:archive_list"))
    assert "Schuldhulp Vroeg" in archive.text
    assert "Klaar" in archive.text


def test_archiving_without_a_reason_shows_a_dutch_error_and_keeps_the_trajectory(client, trajectory, beheerder):
    client.force_login(beheerder)
    response = client.post(reverse("trajectories:archive", args=[trajectory.pk]), {"reason": "  "})
    assert response.status_code == 400
    assert "Geef een reden" in response.text
    trajectory.refresh_from_db()
    assert trajectory.archived_at is None


def test_bewerker_cannot_archive(client, trajectory, bewerker):
    client.force_login(bewerker)
    response = client.post(reverse("trajectories:archive", args=[trajectory.pk]), {"reason": "Weg ermee"})
    assert response.status_code == 403
    trajectory.refresh_from_db()
    assert trajectory.archived_at is None


def test_beheerder_of_a_participating_organisation_cannot_archive(client, trajectory, outsider, outsider_org):
    trajectory.participants.add(outsider_org)
    client.force_login(outsider)
    response = client.post(reverse("trajectories:archive", args=[trajectory.pk]), {"reason": "Weg ermee"})
    assert response.status_code == 403


def test_restore_brings_everything_back_unchanged(client, trajectory, beheerder, bewerker):
    action = services.action_create(trajectory=trajectory, by=bewerker, description="Bellen")
    before = Trajectory.objects.values().get(pk=trajectory.pk)
    revision = cache_versions.current(revisions.REVISION, trajectory.pk)
    _archive(trajectory, beheerder)
    client.force_login(beheerder)
    response = client.post(reverse("trajectories:restore", args=[trajectory.pk]))
    assert response.status_code == 302
    after = Trajectory.objects.values().get(pk=trajectory.pk)
    assert after == before
    # The revision only counts writes (it keys the page cache, fii.CacheVersion), so it moved on.
    assert cache_versions.current(revisions.REVISION, trajectory.pk) > revision
    assert Action.objects.get(pk=action.pk).description == "Bellen"
    assert "Schuldhulp Vroeg" in client.get(reverse("trajectories:portfolio")).text


def test_archived_trajectory_leaves_my_actions_and_calendar(client, trajectory, beheerder, bewerker):
    services.action_create(trajectory=trajectory, by=bewerker, description="Uniek belletje", assignee=bewerker)
    _archive(trajectory, beheerder)
    client.force_login(bewerker)
    assert "Uniek belletje" not in client.get(reverse("trajectories:my_actions")).text
    assert "Schuldhulp Vroeg" not in client.get(reverse("trajectories:calendar")).text


def test_archived_trajectory_is_readable_with_a_banner_and_no_edit_buttons(client, trajectory, beheerder, bewerker):
    _archive(trajectory, beheerder)
    client.force_login(bewerker)
    response = client.get(trajectory.get_absolute_url())
    assert response.status_code == 200
    assert ARCHIVED_MESSAGE in response.text
    assert reverse("trajectories:edit", args=[trajectory.pk]) not in response.text


# POSTs that only read the trajectory (they start a background job that makes a file); archiving keeps them.
READS_BY_POST = {"trajectories:progress_report_pdf_job"}


def _trajectory_urls(trajectory):
    """Every matrix URL of this trajectory, with the args built before it is archived."""
    urls = []
    for name, (args_for, _method, expected) in sorted(MATRIX.items()):
        if args_for is None or name == "trajectories:restore":
            continue
        url = reverse(name, args=args_for(trajectory))
        if url.startswith(f"/trajecten/{trajectory.pk}/"):
            urls.append((name, url, expected))
    return urls


@pytest.mark.django_db
def test_every_post_to_an_archived_trajectory_is_refused_with_a_clear_message(client, trajectory, beheerder, personas):
    urls = _trajectory_urls(trajectory)
    assert len(urls) > 40
    _archive(trajectory, beheerder)
    before = Trajectory.objects.values().get(pk=trajectory.pk)
    client.force_login(beheerder)
    for name, url, _expected in urls:
        response = client.post(url, POST_DATA.get(name, {}))
        if name in READS_BY_POST:  # an archived trajectory is still read: its long report is made as a job
            assert response.status_code == 302 and response["Location"].startswith("/account/downloads/"), name
            continue
        assert response.status_code in (403, 405), f"{name}: {response.status_code}"
        if response.status_code == 403:
            assert ARCHIVED_MESSAGE in response.text, name
    assert Trajectory.objects.values().get(pk=trajectory.pk) == before


def test_edit_forms_of_an_archived_trajectory_are_refused(client, trajectory, beheerder, bewerker, personas):
    urls = [(name, url) for name, url, expected in _trajectory_urls(trajectory) if expected == WRITE_FORM]
    assert urls
    _archive(trajectory, beheerder)
    client.force_login(bewerker)
    for name, url in urls:
        response = client.get(url)
        assert response.status_code == 403, name
        assert ARCHIVED_MESSAGE in response.text, name


def test_archive_page_offers_restore_only_to_beheerders_of_the_giving_organisation(
    client, trajectory, beheerder, lezer
):
    _archive(trajectory, beheerder)
    restore = reverse("trajectories:restore", args=[trajectory.pk])
    client.force_login(lezer)
    assert restore not in client.get(reverse("trajectories:archive_list")).text
    client.force_login(beheerder)
    assert restore in client.get(reverse("trajectories:archive_list")).text


def test_archive_page_shows_no_other_organisations_trajectories(client, trajectory, beheerder, outsider):
    _archive(trajectory, beheerder)
    client.force_login(outsider)
    assert "Schuldhulp Vroeg" not in client.get(reverse("trajectories:archive_list")).text
    assert client.get(reverse("trajectories:restore", args=[trajectory.pk])).status_code == 404


def test_closing_a_trajectory_sets_closed_at_and_reopening_clears_it(trajectory, bewerker):
    services.trajectory_update(
        trajectory=trajectory,
        by=bewerker,
        expected_version=trajectory.version,
        fields={"status": "afgerond"},
        participants=[],
    )
    trajectory.refresh_from_db()
    assert trajectory.closed_at is not None
    assert trajectory.closed_at <= timezone.now()
    services.trajectory_update(
        trajectory=trajectory,
        by=bewerker,
        expected_version=trajectory.version,
        fields={"status": "actief"},
        participants=[],
    )
    trajectory.refresh_from_db()
    assert trajectory.closed_at is None
