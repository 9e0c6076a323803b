"""The ERIC strategies and the CFIR–ERIC expert matches (fii.eric), and taking a strategy up for a barrier."""

import datetime as dt
from collections import Counter

import pytest
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from fii import eric
from fii.cfir import CfirVersion, framework
from trajectories import services
from trajectories.models import Action, CfirRating, Milestone, StrategyUptake

AT = dt.datetime(2026, 3, 2, 10, 0, tzinfo=dt.UTC)


def test_the_compilation_has_73_strategies_with_unique_names_and_numbers():
    assert len(eric.STRATEGIES) == 73
    assert len({s.name for s in eric.STRATEGIES}) == 73
    assert len({s.nl_name for s in eric.STRATEGIES}) == 73
    assert [s.number for s in eric.STRATEGIES] == list(range(1, 74))
    assert all(s.nl_description and len(s.nl_description) <= 200 for s in eric.STRATEGIES)


def test_every_strategy_is_in_one_of_the_nine_clusters_with_the_published_sizes():
    sizes = Counter(s.cluster for s in eric.STRATEGIES)
    # Waltz et al. 2015, Implementation Science 10:109: cluster sizes 10, 4, 4, 17, 11, 5, 5, 9, 8.
    assert [sizes[c] for c in eric.Cluster.values] == [10, 4, 4, 17, 11, 5, 5, 9, 8]


def test_every_match_refers_to_a_known_barrier_construct_and_strategy():
    codes_2009 = framework(CfirVersion.V2009).constructs
    assert len(eric.BARRIERS) == eric.BARRIER_COUNT == 39
    assert set(eric.BARRIERS.values()) <= set(codes_2009)
    for match in eric.MATCHES:
        assert match.construct == eric.BARRIERS[match.barrier]
        assert eric.BY_CODE[match.strategy.code] is match.strategy
        assert 20 <= match.percent <= 100
        assert match.source in eric.SOURCES
    assert len({(m.barrier, m.strategy.code) for m in eric.MATCHES}) == len(eric.MATCHES)


def test_level_one_pairs_agree_with_the_published_counts():
    level1 = Counter(m.barrier for m in eric.MATCHES if m.level == 1)
    level2 = Counter(m.barrier for m in eric.MATCHES if m.level == 2)
    # Never more level-1 pairs than the paper found, and never more per barrier than its table 2 gives.
    assert sum(level1.values()) <= eric.PUBLISHED_LEVEL1_TOTAL == 33
    assert sum(level2.values()) <= eric.PUBLISHED_LEVEL2_TOTAL
    for barrier, (one, two) in eric.PUBLISHED_COUNTS.items():
        assert level1[barrier] <= one, barrier
        assert level2[barrier] <= two, barrier
    for barrier in eric.COMPLETE:
        assert (level1[barrier], level2[barrier]) == eric.PUBLISHED_COUNTS[barrier]
    # Adaptability's single level-1 strategy (table 2) is in the data, and it is the one the sources name.
    assert [m.strategy.name for m in eric.MATCHES if m.barrier == "Adaptability" and m.level == 1] == [
        "Promote adaptability"
    ]


def test_the_2022_mapping_covers_every_updated_construct():
    updated = framework(CfirVersion.V2022).constructs
    old = framework(CfirVersion.V2009).constructs
    assert set(eric.MAPPING_2022_TO_2009) == set(updated)
    for targets in eric.MAPPING_2022_TO_2009.values():
        assert set(targets) <= set(old)


def test_suggestions_come_level_one_first_and_reach_2022_through_the_mapping():
    in_2009 = eric.suggestions("2009", "V.D")
    assert [m.strategy.name for m in in_2009[:2]] == [
        "Develop and implement tools for quality monitoring",
        "Audit and provide feedback",
    ]
    assert [m.level for m in in_2009] == sorted(m.level for m in in_2009)
    assert eric.suggestions("2022", "V.H") == in_2009  # Reflecting & Evaluating continues V.D
    assert eric.suggestions("2022", "II.A") == []  # Critical Incidents is new in 2022


@pytest.fixture
def barrier(trajectory):
    assessment = services.cfir_assessment_create(
        trajectory=trajectory, by=trajectory.created_by, title="Welzijn Noord", assessed_on=dt.date(2026, 3, 1)
    )
    return CfirRating.objects.create(assessment=assessment, construct="V.H", rating="-2", rationale="Niemand evalueert")


def test_taking_up_a_strategy_creates_one_open_action_linked_to_the_barrier(barrier, trajectory):
    uptake, created = services.strategy_take_up(rating=barrier, strategy="E26", by=trajectory.created_by, at=AT)
    again, created_again = services.strategy_take_up(rating=barrier, strategy="E26", by=trajectory.created_by, at=AT)
    assert created and not created_again
    assert again.pk == uptake.pk
    assert StrategyUptake.objects.filter(rating=barrier).count() == 1
    action = Action.objects.get(trajectory=trajectory)
    assert action.strategy_uptakes.get().rating == barrier
    assert action.is_open and "Instrumenten voor kwaliteitsbewaking maken" in action.description
    # The next review lists it among the open actions.
    review = services.review_start(
        trajectory=trajectory, by=trajectory.created_by, held_on=dt.date(2026, 3, 3), phases=["verkennen"]
    )
    assert action in review.trajectory.actions.filter(closed_at__isnull=True)


def test_the_next_review_page_shows_the_action(client, barrier, trajectory, bewerker):
    services.strategy_take_up(rating=barrier, strategy="E05", by=bewerker, at=AT)
    review = services.review_start(
        trajectory=trajectory, by=bewerker, held_on=dt.date(2026, 3, 3), phases=["verkennen"]
    )
    client.force_login(bewerker)
    content = client.get(reverse("trajectories:review", args=[trajectory.pk, review.pk])).content.decode()
    assert "Meten en terugkoppelen" in content


def test_a_strategy_that_is_not_suggested_or_a_rating_that_is_no_barrier_is_refused(barrier, trajectory):
    with pytest.raises(services.NotSuggested):
        services.strategy_take_up(rating=barrier, strategy="E10", by=trajectory.created_by)
    barrier.rating = "+1"
    barrier.save()
    with pytest.raises(services.NotSuggested):
        services.strategy_take_up(rating=barrier, strategy="E26", by=trajectory.created_by)
    assert not Action.objects.filter(trajectory=trajectory).exists()


TODAY = dt.date(2026, 3, 9)


@pytest.fixture
def today(monkeypatch):
    """Today is Monday 9 March 2026 for the forms; a given moment keeps its own date."""
    real = timezone.localdate
    monkeypatch.setattr(timezone, "localdate", lambda value=None, *a, **k: TODAY if value is None else real(value))


def test_a_strategy_taken_up_as_a_milestone_is_on_the_plan_and_not_an_action(barrier, trajectory):
    uptake, created = services.strategy_take_up(
        rating=barrier, strategy="E26", by=trajectory.created_by, target="milestone", at=AT
    )
    assert created and uptake.action is None
    milestone = Milestone.objects.get(trajectory=trajectory)
    assert uptake.milestone == milestone
    assert milestone.due_on == dt.date(2026, 3, 30)  # four weeks after the moment it was taken up
    assert milestone.title.startswith("Instrumenten voor kwaliteitsbewaking maken, voor de belemmering")
    # Idempotent whatever the second click asks for: the milestone that is there, no action.
    again, created_again = services.strategy_take_up(
        rating=barrier, strategy="E26", by=trajectory.created_by, target="action", at=AT
    )
    assert again.pk == uptake.pk and not created_again
    assert not Action.objects.filter(trajectory=trajectory).exists()
    assert Milestone.objects.filter(trajectory=trajectory).count() == 1


def test_a_strategy_taken_up_as_an_action_gets_the_due_date_asked_for(barrier, trajectory):
    uptake, _ = services.strategy_take_up(
        rating=barrier, strategy="E26", by=trajectory.created_by, due_on=dt.date(2026, 5, 1), at=AT
    )
    assert uptake.milestone is None and uptake.action.due_on == dt.date(2026, 5, 1)
    assert not Milestone.objects.filter(trajectory=trajectory).exists()


def test_a_non_barrier_is_refused_as_a_milestone_too(barrier, trajectory):
    barrier.rating = "0"
    barrier.save()
    with pytest.raises(services.NotSuggested):
        services.strategy_take_up(rating=barrier, strategy="E26", by=trajectory.created_by, target="milestone")
    assert not Milestone.objects.filter(trajectory=trajectory).exists()


def test_the_database_wants_exactly_one_of_action_and_milestone(barrier, trajectory):
    by = trajectory.created_by
    action = services.action_create(trajectory=trajectory, by=by, description="Iets")
    milestone = services.milestone_save(trajectory=trajectory, by=by, title="Iets", due_on=dt.date(2026, 4, 1))
    for target in ({}, {"action": action, "milestone": milestone}):
        with pytest.raises(IntegrityError), transaction.atomic():
            StrategyUptake.objects.create(rating=barrier, strategy="E26", **target)


def test_taking_up_as_a_milestone_in_the_page_links_to_the_plan(client, bewerker, barrier, trajectory, today):
    client.force_login(bewerker)
    page = reverse("trajectories:cfir", args=[trajectory.pk, barrier.assessment_id])
    url = reverse("trajectories:cfir_strategy_take_up", args=[trajectory.pk, barrier.assessment_id, barrier.pk])
    response = client.post(url, {"strategy": "E26", "due_on": "2026-04-20", "target": "milestone"})
    assert response.status_code == 302
    milestone = Milestone.objects.get(trajectory=trajectory)
    assert milestone.due_on == dt.date(2026, 4, 20)
    content = client.get(page).content.decode()
    assert "als planmijlpaal overgenomen" in content
    plan = reverse("trajectories:plan", args=[trajectory.pk])
    assert f'href="{plan}#milestone-{milestone.pk}"' in content
    assert f'id="milestone-{milestone.pk}"' in client.get(plan).content.decode()
    assert not Action.objects.filter(trajectory=trajectory).exists()


def test_a_due_date_in_the_past_is_refused_at_the_field_with_the_input_kept(
    client, bewerker, barrier, trajectory, today
):
    client.force_login(bewerker)
    url = reverse("trajectories:cfir_strategy_take_up", args=[trajectory.pk, barrier.assessment_id, barrier.pk])
    response = client.post(url, {"strategy": "E26", "due_on": "2026-03-08", "target": "milestone"})
    assert response.status_code == 400
    content = response.content.decode()
    assert "Deze datum ligt in het verleden" in content
    assert 'value="2026-03-08"' in content and 'aria-invalid="true"' in content
    assert not StrategyUptake.objects.exists() and not Milestone.objects.exists()
    # Today itself is fine.
    assert client.post(url, {"strategy": "E26", "due_on": "2026-03-09", "target": "milestone"}).status_code == 302
    # The same form again, from an old tab with a date now in the past: the milestone that is there, no error.
    response = client.post(url, {"strategy": "E26", "due_on": "2026-03-01", "target": "action"}, follow=True)
    assert "was al overgenomen" in response.content.decode()
    assert StrategyUptake.objects.get().milestone is not None and not Action.objects.exists()


def test_the_cfir_page_suggests_strategies_and_shows_what_was_taken_up(client, bewerker, barrier, trajectory, today):
    client.force_login(bewerker)
    page = reverse("trajectories:cfir", args=[trajectory.pk, barrier.assessment_id])
    content = client.get(page).content.decode()
    assert "Instrumenten voor kwaliteitsbewaking maken" in content and "60%" in content
    assert "startpunt" in content  # the study's own caveat, in our words
    assert 'name="due_on" value="2026-04-06"' in content  # four weeks out, shown before saving
    url = reverse("trajectories:cfir_strategy_take_up", args=[trajectory.pk, barrier.assessment_id, barrier.pk])
    response = client.post(url, {"strategy": "E26", "due_on": "2026-04-06", "target": "action"})
    assert response.status_code == 302
    content = client.get(page).content.decode()
    assert "Overgenomen" in content and "als actie overgenomen" in content
    action = Action.objects.get(trajectory=trajectory)
    assert action.due_on == dt.date(2026, 4, 6)
    assert reverse("trajectories:action", args=[trajectory.pk, action.pk]) in content
    assert client.post(url, {"strategy": "E10", "due_on": "2026-04-06"}).status_code == 404
    assert Action.objects.filter(trajectory=trajectory).count() == 1


def test_the_strategy_list_filters_by_text_and_cluster(client, lezer):
    client.force_login(lezer)
    everything = client.get(reverse("trajectories:strategies")).context["strategies"]
    assert len(everything) == 73
    found = client.get(reverse("trajectories:strategies"), {"q": "aanjagers"}).context["strategies"]
    assert [s.name for s in found] == ["Identify and prepare champions"]
    financial = client.get(reverse("trajectories:strategies"), {"cluster": "financial"}).context["strategies"]
    assert len(financial) == 9
