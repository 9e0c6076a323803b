"""Issue 22, learning across trajectories: every figure on a small data set computed by hand, a fixed clock
(2026-12-07), the query count flat at two data sizes, only members see the page, and the PDF has its sections."""

import datetime as dt
import io

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse
from pypdf import PdfReader

from organisations.models import Role
from tests.conftest import _member
from tests.factories import OrganisationFactory, make_trajectory
from tests.jobhelpers import pdf_by_job, start_job
from tests.mailhelpers import Clock
from trajectories import services
from trajectories.learning import Spread, learning_overview, owned_trajectories
from trajectories.models import PhaseState, Progress

TODAY = dt.date(2026, 12, 7)
NOW = dt.datetime(2026, 12, 7, 9, 0, tzinfo=dt.UTC)  # tests/mailhelpers.py's clock
FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py sets per test


def at(days_ago: int) -> dt.datetime:
    return dt.datetime.combine(TODAY - dt.timedelta(days=days_ago), dt.time(9), tzinfo=dt.UTC)


def review(trajectory, by, *, days_ago: int, phase: str, colours: list[str]):
    started = services.review_start(
        trajectory=trajectory, by=by, held_on=TODAY - dt.timedelta(days=days_ago), phases=[phase], at=at(days_ago)
    )
    for item, colour in zip(started.items.order_by("position"), colours, strict=False):
        services.review_item_set(review_item=item, by=by, colour=colour, note="")
    return services.review_finalise(review=started, by=by, at=at(days_ago))


def move(trajectory, by, *, days_ago: int, to_phase: str, complete: bool = True):
    return services.trajectory_move(
        trajectory=trajectory,
        by=by,
        reason="Volgende stap",
        to_phase=to_phase,
        complete_current=complete,
        open_points_confirmed=True,
        at=at(days_ago),
    )


def create(owner, by, title: str, *, days_ago: int, **kwargs):
    return make_trajectory(
        owner=owner, by=by, title=title, at=at(days_ago), start_date=TODAY - dt.timedelta(days=days_ago), **kwargs
    )


def key_figure(trajectory, by, name: str, *, contact_days_ago: int | None, influence: int = 4):
    stakeholder = services.stakeholder_add(
        trajectory=trajectory,
        by=by,
        person_fields={"name": name},
        side="gevend",
        level="wethouder",
        influence=influence,
        support="steunend",
        desired_support="steunend",
        at=at(200),
    )
    if contact_days_ago is not None:
        services.contact_record(
            stakeholder=stakeholder, by=by, date=TODAY - dt.timedelta(days=contact_days_ago), kind="gesprek"
        )
    return stakeholder


def barriers(trajectory, by, ratings: dict[str, str]):
    assessment = services.cfir_assessment_create(
        trajectory=trajectory, by=by, title="Analyse", assessed_on=TODAY - dt.timedelta(days=60), version="2009"
    )
    services.cfir_rate(assessment=assessment, by=by, ratings={c: (r, "") for c, r in ratings.items()})


def build_small_set(municipality, bewerker, beheerder):
    """Four active trajectories and an archived one of the municipality, and one it only receives."""
    alfa = create(municipality, bewerker, "Alfa", days_ago=200)
    review(alfa, bewerker, days_ago=190, phase="verkennen", colours=["rood", "oranje", "groen"])
    review(alfa, bewerker, days_ago=176, phase="verkennen", colours=["oranje", "oranje", "groen"])
    review(alfa, bewerker, days_ago=162, phase="verkennen", colours=["groen", "groen", "rood"])
    move(alfa, bewerker, days_ago=150, to_phase="innoveren")  # verkennen: 50 days
    move(alfa, bewerker, days_ago=120, to_phase="versterken")  # innoveren: 30 days
    review(alfa, bewerker, days_ago=10, phase="versterken", colours=[])

    bravo = create(municipality, bewerker, "Bravo", days_ago=100)
    review(bravo, bewerker, days_ago=90, phase="verkennen", colours=["rood", "groen", "groen"])
    review(bravo, bewerker, days_ago=48, phase="verkennen", colours=["groen", "rood", "groen"])
    move(bravo, bewerker, days_ago=30, to_phase="innoveren")  # verkennen: 70 days
    move(bravo, bewerker, days_ago=25, to_phase="versterken")  # innoveren: 5 days, then re-opened:
    move(bravo, bewerker, days_ago=20, to_phase="innoveren", complete=False)

    create(municipality, bewerker, "Charlie", days_ago=90)  # nothing since its start: stalled
    echo = create(municipality, bewerker, "Echo", days_ago=200)
    move(echo, bewerker, days_ago=110, to_phase="innoveren")  # verkennen: 90 days; stalled since

    delta = create(municipality, bewerker, "Delta", days_ago=300)
    move(delta, bewerker, days_ago=290, to_phase="innoveren")  # verkennen: 10 days, only with the archived
    barriers(delta, bewerker, {"I.F": "-2"})
    services.trajectory_archive(trajectory=delta, by=beheerder, reason="Gestopt")

    other = OrganisationFactory(name="Welzijn Noord")
    received = create(other, None, "Van een ander", days_ago=200, receiving_organisation=municipality)
    review(received, None, days_ago=150, phase="verkennen", colours=["rood"] * 3)

    key_figure(alfa, bewerker, "Wethouder A", contact_days_ago=10)
    key_figure(alfa, bewerker, "Manager A", contact_days_ago=50)  # silent: more than 42 days
    key_figure(alfa, bewerker, "Uitvoerder A", contact_days_ago=None, influence=3)  # no key figure
    key_figure(bravo, bewerker, "Wethouder B", contact_days_ago=None)  # silent since registered, 200 days ago
    key_figure(bravo, bewerker, "Beleid B", contact_days_ago=5)

    barriers(alfa, bewerker, {"I.F": "-2", "III.E.2": "-1", "II.A": "-2"})
    barriers(bravo, bewerker, {"I.F": "-1", "III.E.2": "-2", "II.A": "+1"})
    barriers(echo, bewerker, {"I.F": "-1", "III.A": "-1"})
    return {"alfa": alfa, "bravo": bravo, "echo": echo, "delta": delta, "received": received}


def overview(municipality, *, archived=False, **kwargs):
    return learning_overview(
        owned_trajectories(municipality, include_archived=archived), today=TODAY, include_archived=archived, **kwargs
    )


def titles(refs):
    return [r.title for r in refs]


def test_spread_of_an_even_and_an_empty_list():
    assert Spread.of([28, 42]) == Spread(2, 35.0, 31.5, 38.5, 28, 42)
    assert Spread.of([]) == Spread(0)


def grow(owner, by, n: int, offset: int):
    """``n`` more trajectories with reviews, transitions, key figures and barriers."""
    for k in range(n):
        t = create(owner, by, f"Groei {offset + k}", days_ago=120)
        review(t, by, days_ago=100, phase="verkennen", colours=["rood", "oranje", "groen"])
        review(t, by, days_ago=80, phase="verkennen", colours=["groen", "rood", "groen"])
        move(t, by, days_ago=70, to_phase="innoveren")
        key_figure(t, by, f"Sleutel {offset + k}", contact_days_ago=70)
        barriers(t, by, {"I.F": "-2"})


def page_queries(client, org) -> int:
    with CaptureQueriesContext(connection) as queries:
        response = client.get(reverse("trajectories:learning", args=[org.pk]), {"archived": "on"})
    assert response.status_code == 200
    return len(queries)


def test_query_count_does_not_grow_with_the_number_of_trajectories(client, clock, municipality, bewerker):
    client.force_login(bewerker)
    grow(municipality, bewerker, 2, 0)
    small = page_queries(client, municipality)
    grow(municipality, bewerker, 6, 2)
    large = page_queries(client, municipality)
    assert small == large
    assert large <= 20


@pytest.mark.parametrize("persona", ["outsider", "lezer", "bewerker"])
def test_only_members_see_the_learning_page(client, personas, municipality, persona):
    client.force_login(personas[persona])
    response = client.get(reverse("trajectories:learning", args=[municipality.pk]))
    assert response.status_code == (404 if persona == "outsider" else 200)
    response, job = start_job(client, "trajectories:learning_pdf", municipality.pk)
    assert (response.status_code, job is None) == ((404, True) if persona == "outsider" else (302, False))


def test_a_wrong_choice_keeps_the_default_and_says_so_at_the_field(client, lezer, municipality):
    client.force_login(lezer)
    response = client.get(reverse("trajectories:learning", args=[municipality.pk]), {"stalled_days": "3"})
    assert response.status_code == 200
    assert response.context["learning"].stalled_days == 60
    assert "stalled_days" in response.context["form"].errors
    assert 'id="id_stalled_days_error"' in response.content.decode()


def test_lines_copied_from_the_template_are_linked_to_their_template_line(clock, municipality, bewerker):
    from trajectories.models import ChecklistTemplateItem

    before = create(municipality, bewerker, "Met standaardregels", days_ago=100)
    assert not before.checklist_items.filter(template_item__isnull=False).exists()  # defaults have no row
    services.template_customise(organisation=municipality, phase="verkennen")
    after = create(municipality, bewerker, "Met eigen sjabloon", days_ago=90)
    template = {t.text: t.pk for t in ChecklistTemplateItem.objects.filter(organisation=municipality)}
    lines = list(after.checklist_items.filter(phase="verkennen"))
    assert lines and all(line.template_item_id == template[line.text] for line in lines)
    own = services.checklist_item_add(owner=after, phase="verkennen", text="Eigen regel", by=bewerker)
    assert own.template_item_id is None


def test_lines_group_by_their_template_line_and_fall_back_to_wording(clock, municipality, bewerker):
    from trajectories.checklist_links import link_to_template_lines
    from trajectories.models import ChecklistItem, ChecklistTemplateItem

    charlie = create(municipality, bewerker, "Charlie", days_ago=100)  # copied from the defaults: no link
    services.template_customise(organisation=municipality, phase="verkennen")
    alfa = create(municipality, bewerker, "Alfa", days_ago=90)
    bravo = create(municipality, bewerker, "Bravo", days_ago=90)
    first = bravo.checklist_items.get(phase="verkennen", position=1)
    services.checklist_item_reword(item=first, text="In onze eigen woorden", subphase=first.subphase)
    review(alfa, bewerker, days_ago=80, phase="verkennen", colours=["rood", "groen", "groen"])
    review(bravo, bewerker, days_ago=80, phase="verkennen", colours=["oranje", "groen", "groen"])
    review(charlie, bewerker, days_ago=80, phase="verkennen", colours=["rood", "groen", "groen"])
    template_line = ChecklistTemplateItem.objects.get(organisation=municipality, phase="verkennen", position=1)

    linked, unlinked = sorted(overview(municipality).items, key=lambda f: f.template_item_id is None)
    # Bravo's reworded copy stays with its template line, under the template's wording.
    assert (linked.template_item_id, linked.text) == (template_line.pk, template_line.text)
    assert (linked.red, linked.orange, linked.assessed) == (1, 1, 2)
    assert titles(linked.trajectories) == ["Alfa", "Bravo"]
    # Charlie's line has the same wording but no link: grouped by its wording, apart.
    assert (unlinked.template_item_id, unlinked.text) == (None, template_line.text)
    assert (unlinked.red, unlinked.orange, unlinked.assessed) == (1, 0, 1)
    assert titles(unlinked.trajectories) == ["Charlie"]

    # The data migration's matching links every line of Charlie's by owner, phase and wording (Alfa's and
    # Bravo's lines, the reworded one too, are linked already): then one line, over all three trajectories.
    unlinked_lines = ChecklistItem.objects.filter(template_item__isnull=True)
    assert set(unlinked_lines.values_list("trajectory__title", flat=True)) == {"Charlie"}
    assert link_to_template_lines(ChecklistItem, ChecklistTemplateItem) == charlie.checklist_items.count()
    assert charlie.checklist_items.filter(phase="verkennen", template_item__isnull=True).count() == 0
    (line,) = overview(municipality).items
    assert (line.template_item_id, line.red, line.orange, line.assessed) == (template_line.pk, 2, 1, 3)
    assert titles(line.trajectories) == ["Alfa", "Bravo", "Charlie"]


def test_lights_of_an_open_review_do_not_count_yet(clock, municipality, bewerker):
    alfa = create(municipality, bewerker, "Alfa", days_ago=100)
    review(alfa, bewerker, days_ago=80, phase="verkennen", colours=["rood", "groen"])
    started = services.review_start(
        trajectory=alfa, by=bewerker, held_on=TODAY - dt.timedelta(days=5), phases=["verkennen"], at=at(5)
    )
    for item in started.items.order_by("position"):
        services.review_item_set(review_item=item, by=bewerker, colour="oranje", note="")
    figures = overview(municipality)
    (line,) = figures.items  # the second line was orange only in the open review
    assert (line.red, line.orange, line.assessed) == (1, 0, 1)
    assert figures.assessments == 2


@pytest.fixture(scope="class")
def _small_set(django_db_setup, django_db_blocker):
    """The small set, built once per class that asks for it (TestOnTheSmallSet)."""
    with django_db_blocker.unblock():
        outer = transaction.atomic()
        outer.__enter__()
        try:
            with pytest.MonkeyPatch.context() as patch, override_settings(PASSWORD_HASHERS=FAST_HASHER):
                Clock(patch, NOW)
                municipality = OrganisationFactory(name="Gemeente Testdam")
                bewerker = _member(municipality, Role.BEWERKER, "bewerker@testdam.nl")
                beheerder = _member(municipality, Role.BEHEERDER, "beheerder@testdam.nl")
                data = build_small_set(municipality, bewerker, beheerder)
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            raise
    yield {"municipality": municipality, "bewerker": bewerker, "beheerder": beheerder, **data}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)


class TestOnTheSmallSet:
    """The figures on the small set, built once for the class (``_small_set``): each test reads it in its own
    savepoint, inside a transaction that stays open over the class and is rolled back after the last test."""

    @pytest.fixture
    def small_set(self, _small_set, clock, db):
        return _small_set

    # The class's municipality and its members, in place of the ones tests/conftest.py creates per test.
    @pytest.fixture
    def municipality(self, _small_set, db):
        return _small_set["municipality"]

    @pytest.fixture
    def bewerker(self, _small_set, db):
        return _small_set["bewerker"]

    @pytest.fixture
    def beheerder(self, _small_set, db):
        return _small_set["beheerder"]

    def test_only_the_owned_trajectories_count_archived_on_request(self, small_set, municipality):
        assert overview(municipality).trajectories == 4
        assert overview(municipality, archived=True).trajectories == 5

    def test_lines_most_often_red_or_orange_are_grouped_over_trajectories(self, small_set, municipality):
        items = overview(municipality).items
        # Lines 1 and 2: three of five assessments red or orange (Alfa 3 + Bravo 2 each); line 3: one of five.
        first, second, third = items[:3]
        assert {(f.red, f.orange, f.assessed) for f in (first, second)} == {(2, 1, 5), (1, 2, 5)}
        assert first.share == second.share == 60
        assert (third.red, third.orange, third.assessed, third.share) == (1, 0, 5, 20)
        assert len(items) == 3  # no other line was ever red or orange
        line_1 = next(f for f in items if f.red == 2)
        assert titles(line_1.trajectories) == ["Alfa", "Bravo"]
        assert titles(third.trajectories) == ["Alfa"]
        assert all(f.phase == "verkennen" for f in items)

    def test_days_per_phase_with_spread_reopenings_and_skips(self, small_set, municipality):
        phases = {p.phase: p for p in overview(municipality).phases}
        # Verkennen completed after 50 (Alfa), 70 (Bravo) and 90 (Echo) days; Bravo's innoveren was re-opened.
        assert phases["verkennen"].spread == Spread(3, 70.0, 60.0, 80.0, 50, 90)
        assert [(r.title, d) for r, d in phases["verkennen"].durations] == [("Echo", 90), ("Bravo", 70), ("Alfa", 50)]
        assert phases["innoveren"].spread == Spread(1, 30.0, 30.0, 30.0, 30, 30)
        assert titles(phases["innoveren"].reopened) == ["Bravo"]
        assert titles(phases["signaleren"].skipped) == ["Alfa", "Bravo", "Charlie", "Echo"]
        assert phases["borgen"].spread.count == 0
        with_archived = {p.phase: p for p in overview(municipality, archived=True).phases}
        assert with_archived["verkennen"].spread == Spread(4, 60.0, 40.0, 75.0, 10, 90)

    def test_median_days_from_red_back_to_green(self, small_set, municipality):
        recovery = overview(municipality).recovery
        # Alfa line 1: red on day −190, green on −162 (28 days, orange in between); Bravo line 1: −90 → −48 (42).
        assert recovery.spread.count == 2
        assert recovery.spread.median == 35
        # Alfa's line 3 and Bravo's line 2 turned red and are not green again.
        assert recovery.still_red == 2
        assert [(r.title, n, median) for r, n, median in recovery.trajectories] == [("Bravo", 1, 42), ("Alfa", 1, 28)]

    def test_stalled_trajectories_after_the_chosen_number_of_days(self, small_set, municipality):
        stalled = overview(municipality).stalled
        # Echo: last transition 110 days ago; Charlie: started 90 days ago, nothing since. Alfa had a review 10 days
        # ago, Bravo a transition 20 days ago; the archived Delta is never stalled.
        assert [(s.trajectory.title, s.days) for s in stalled] == [("Echo", 110), ("Charlie", 90)]
        assert titles(s.trajectory for s in overview(municipality, stalled_days=100).stalled) == ["Echo"]
        assert titles(s.trajectory for s in overview(municipality, archived=True).stalled) == ["Echo", "Charlie"]

    def test_share_of_key_figures_gone_radio_silent(self, small_set, municipality):
        silence = overview(municipality).silence
        # Key figures (influence ≥ 4): Wethouder A, Manager A, Wethouder B, Beleid B; silent over 42 days: two.
        assert (silence.key_figures, silence.silent, silence.share) == (4, 2, 50)
        assert [(r.title, n) for r, n in silence.trajectories] == [("Alfa", 1), ("Bravo", 1)]
        # With 60 days only Wethouder B (no contact since registering, 200 days ago) stays silent.
        assert overview(municipality, silence_days=60).silence.silent == 1

    def test_cfir_barriers_that_recur_in_several_trajectories(self, small_set, municipality):
        found = {(b.construct, tuple(titles(b.trajectories))) for b in overview(municipality).barriers}
        # I.F hinders in three trajectories, III.E.2 in two; II.A only in Alfa and III.A only in Echo.
        assert found == {("I.F", ("Alfa", "Bravo", "Echo")), ("III.E.2", ("Alfa", "Bravo"))}
        assert overview(municipality).barriers[0].construct == "I.F"
        with_archived = overview(municipality, archived=True).barriers[0]
        assert titles(with_archived.trajectories) == ["Alfa", "Bravo", "Delta", "Echo"]

    def test_page_links_each_figure_to_its_trajectories(self, client, small_set, lezer, municipality):
        client.force_login(lezer)
        html = client.get(reverse("trajectories:learning", args=[municipality.pk])).content.decode()
        for key in ("alfa", "bravo", "echo"):
            assert reverse("trajectories:detail", args=[small_set[key].pk]) in html
        assert reverse("trajectories:detail", args=[small_set["received"].pk]) not in html
        assert reverse("trajectories:stakeholders", args=[small_set["alfa"].pk]) in html  # radio silence
        assert html.count('class="learning-chart"') == 3

    def test_pdf_has_every_section(self, client, small_set, lezer, municipality):
        client.force_login(lezer)
        pdf = pdf_by_job(client, "trajectories:learning_pdf", municipality.pk)
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
        text = " ".join(text.split())
        for heading in (
            "Leren van trajecten",
            "Checklistpunten die het vaakst rood of oranje waren",
            "Dagen per fase",
            "Van rood terug naar groen",
            "Vastgelopen trajecten",
            "Sleutelfiguren die radiostil werden",
            "CFIR-belemmeringen die terugkomen",
        ):
            assert heading in text, heading
        assert "Echo" in text and "Charlie" in text

    def test_phase_state_of_a_reopened_phase_is_left_out(self, small_set):
        state = PhaseState.objects.get(trajectory=small_set["bravo"], phase="innoveren")
        assert state.status == Progress.BEZIG and state.completed_at is None
