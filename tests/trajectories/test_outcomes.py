"""Outcomes and reach, fidelity over time (issue 22), with a fixed clock: Monday 15 June 2026."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from trajectories import reports, selectors_outcomes, services
from trajectories.charts import LINE_TOP, line_chart
from trajectories.models import Action, Indicator, Measurement

TODAY = dt.date(2026, 6, 15)
NOW = dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC)


@pytest.fixture(autouse=True)
def fixed_clock(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    monkeypatch.setattr(timezone, "localdate", lambda *args, **kwargs: TODAY)


def _indicator(trajectory, **fields):
    values = {"name": "Bereikte gezinnen", "kind": "bereik", "unit": "percentage", "target": Decimal(70)} | fields
    return services.indicator_create(trajectory=trajectory, by=trajectory.created_by, **values)


# Range validation ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("fields", "value", "message"),
    [
        ({"unit": "percentage"}, "120", "Vul een waarde tussen 0 en 100 in."),
        ({"unit": "aantal", "target": Decimal(10)}, "-1", "Vul een waarde van 0 of meer in."),
        (
            {"unit": "score", "scale_min": Decimal(1), "scale_max": Decimal(10), "target": Decimal(7)},
            "10,5",
            "Vul een waarde tussen 1 en 10 in.",
        ),
    ],
)
def test_a_value_outside_the_units_range_is_refused_at_the_field_and_kept(
    client, bewerker, trajectory, fields, value, message
):
    indicator = _indicator(trajectory, **fields)
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:measurement_create", args=[trajectory.pk, indicator.pk]),
        {"measurement-measured_on": "2026-06-01", "measurement-value": value, "measurement-note": "Mijn notitie"},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html
    assert f'id="error_1_id_m{indicator.pk}_measurement-value"' in html  # at the field
    assert f'value="{value}"' in html and "Mijn notitie" in html  # the input is kept
    assert not Measurement.objects.exists()


def test_a_measurement_in_the_future_is_refused_and_a_comma_decimal_accepted(client, bewerker, trajectory):
    indicator = _indicator(trajectory)
    client.force_login(bewerker)
    url = reverse("trajectories:measurement_create", args=[trajectory.pk, indicator.pk])
    response = client.post(url, {"measurement-measured_on": "2026-06-16", "measurement-value": "50"})
    assert response.status_code == 400
    assert "Deze datum ligt in de toekomst." in response.content.decode()
    response = client.post(url, {"measurement-measured_on": "2026-06-15", "measurement-value": "72,5"})
    assert response.status_code == 302
    assert indicator.measurements.get().value == Decimal("72.50")
    with pytest.raises(services.OutcomeError):
        services.measurement_record(indicator=indicator, by=bewerker, measured_on=TODAY, value=Decimal(101))


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"indicator-unit": "percentage", "indicator-target": "150"}, "target", "Vul een waarde tussen 0 en 100 in."),
        ({"indicator-unit": "aantal", "indicator-target": "-5"}, "target", "Vul een waarde van 0 of meer in."),
        (
            {"indicator-unit": "score", "indicator-target": "7"},
            "scale_min",
            "Een score heeft een laagste waarde nodig.",
        ),
        (
            {
                "indicator-unit": "score",
                "indicator-scale_min": "10",
                "indicator-scale_max": "1",
                "indicator-target": "7",
            },
            "scale_max",
            "De hoogste score moet boven de laagste liggen.",
        ),
    ],
)
def test_a_target_or_scale_that_does_not_fit_the_unit_is_refused(client, bewerker, trajectory, data, field, message):
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:indicator_create", args=[trajectory.pk]),
        {"indicator-name": "Waardering", "indicator-kind": "effectiviteit", "indicator-direction": "minimaal", **data},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert message in html and f"error_1_id_indicator-{field}" in html
    assert 'value="Waardering"' in html
    assert not Indicator.objects.exists()


def test_a_suggestion_is_added_with_one_click_then_opened_for_editing(client, bewerker, trajectory):
    client.force_login(bewerker)
    response = client.post(
        reverse("trajectories:indicator_suggest", args=[trajectory.pk]), {"suggestion": "waardering-clienten"}
    )
    indicator = trajectory.indicators.get()
    assert response["Location"] == reverse("trajectories:indicator_edit", args=[trajectory.pk, indicator.pk])
    assert (indicator.name, indicator.unit, indicator.scale_min, indicator.scale_max, indicator.target) == (
        "Waardering door cliënten",
        "score",
        Decimal(1),
        Decimal(10),
        Decimal(7),
    )
    assert indicator.outcome == "aanvaardbaarheid" and indicator.kind == "effectiviteit"
    page = client.get(reverse("trajectories:outcomes", args=[trajectory.pk])).content.decode()
    assert 'value="waardering-clienten"' not in page  # an added suggestion is not offered again
    assert 'value="bereik-aantal"' in page
    assert (
        client.post(reverse("trajectories:indicator_suggest", args=[trajectory.pk]), {"suggestion": "x"}).status_code
        == 404
    )


def _suggestion_lists(page: str) -> tuple[str, str]:
    """The page's first suggestion list (the current phase) and the folded one (other phases)."""
    first, _sep, rest = page.partition('id="suggestions-heading"')[2].partition("<details")
    return first, rest.partition("</details>")[0]


@pytest.mark.parametrize(
    ("phase", "heading", "first", "folded"),
    [
        ("implementeren", "fase 5 Implementeren", "bereik-doelgroep", "waardering-clienten"),
        ("borgen", "fase 6 Borgen", "waardering-clienten", "bereik-doelgroep"),
        ("innoveren", "fase 5 Implementeren", "adoptie-professionals", "borging-routine"),
    ],
)
def test_suggestions_follow_the_current_phase_and_the_others_stay_reachable(
    client, bewerker, trajectory, phase, heading, first, folded
):
    trajectory.current_phase = phase
    trajectory.save(update_fields=["current_phase"])
    client.force_login(bewerker)
    page = client.get(reverse("trajectories:outcomes", args=[trajectory.pk])).content.decode()
    assert heading in page.partition('id="suggestions-heading"')[2].partition("</h3>")[0]
    current, others = _suggestion_lists(page)
    assert f'value="{first}"' in current and f'value="{folded}"' not in current
    assert f'value="{folded}"' in others and f'value="{first}"' not in others
    wanted = {
        s.key for s in selectors_outcomes.SUGGESTIONS if s.phase == ("borgen" if phase == "borgen" else "implementeren")
    }
    assert {s.key for s in selectors_outcomes.suggestions_for(phase).for_phase} == wanted


def test_a_phase_suggestion_added_and_edited_leaves_the_phase_list_and_stays_editable(client, bewerker, trajectory):
    trajectory.current_phase = "borgen"
    trajectory.save(update_fields=["current_phase"])
    client.force_login(bewerker)
    client.post(reverse("trajectories:indicator_suggest", args=[trajectory.pk]), {"suggestion": "uitkomst-doelen"})
    indicator = trajectory.indicators.get()
    chosen = selectors_outcomes.suggestions_for("borgen", taken=[indicator.name])
    assert "uitkomst-doelen" not in {s.key for s in chosen.for_phase + chosen.others}
    assert len(chosen.for_phase) == 3 and len(chosen.others) == 3
    everything = selectors_outcomes.suggestions_for("borgen", taken=[s.name for s in selectors_outcomes.SUGGESTIONS])
    assert not everything
    page = client.get(reverse("trajectories:outcomes", args=[trajectory.pk])).content.decode()
    assert 'value="uitkomst-doelen"' not in page
    assert reverse("trajectories:indicator_edit", args=[trajectory.pk, indicator.pk]) in page


# Summaries and charts ------------------------------------------------------------------------------


def test_summary_counts_indicators_on_target_by_their_latest_measurement(client, lezer, trajectory):
    reach = _indicator(trajectory)
    wait = _indicator(
        trajectory, name="Wachttijd", kind="uitvoering", unit="aantal", target=Decimal(14), direction="maximaal"
    )
    _indicator(trajectory, name="Nog niet gemeten")
    for day, value in ((dt.date(2026, 4, 1), 80), (dt.date(2026, 5, 1), 65)):  # the latest is below 70
        services.measurement_record(indicator=reach, by=None, measured_on=day, value=Decimal(value))
    services.measurement_record(indicator=wait, by=None, measured_on=dt.date(2026, 5, 1), value=Decimal(12))
    summary = selectors_outcomes.outcome_summary(trajectory)
    assert (summary.total, summary.measured, summary.on_target) == (3, 2, 1)
    assert summary.text == "1 van 3 indicatoren op doel"
    selectors_outcomes.add_outcome_summaries([trajectory])
    assert trajectory.outcomes == summary
    client.force_login(lezer)
    assert "1 van 3 indicatoren op doel" in client.get(trajectory.get_absolute_url()).content.decode()
    assert "1 van 3 indicatoren op doel" in client.get(reverse("trajectories:portfolio")).content.decode()


def test_chart_labels_the_target_and_every_value_and_marks_off_target_by_shape():
    chart = line_chart(
        [("04-26", 80.0, True), ("05-26", 65.0, False)], low=0, high=100, target=70, target_label="doel 70%", suffix="%"
    )
    assert [p.text for p in chart.points] == ["80%", "65%"]
    assert chart.target_y == LINE_TOP + 140 - 0.7 * 140
    assert chart.points[0].y == LINE_TOP + 140 - 0.8 * 140
    assert chart.path.startswith("M") and " L" in chart.path
    # A count has no upper bound: the scale takes four round steps above the largest value or target.
    count = line_chart([("01-26", 10.0, False)], low=0, high=None, target=20, target_label="doel 20")
    assert [label for label, _y in count.ticks] == ["0", "10", "20", "30", "40"]
    assert count.target_y == LINE_TOP + 140 - 20 / 40 * 140


def test_outcomes_page_shows_chart_and_table_without_colour(client, lezer, trajectory):
    indicator = _indicator(trajectory)
    services.measurement_record(indicator=indicator, by=None, measured_on=dt.date(2026, 5, 1), value=Decimal(65))
    services.measurement_record(indicator=indicator, by=None, measured_on=dt.date(2026, 6, 1), value=Decimal(72))
    client.force_login(lezer)
    html = client.get(reverse("trajectories:outcomes", args=[trajectory.pk])).content.decode()
    assert "doel 70%" in html  # the target line is labelled
    assert ">65%<" in html and ">72%<" in html  # values are labelled
    assert "<rect x=" in html and "<circle" in html  # off target a square, on target a circle
    assert "<caption>Metingen: Bereikte gezinnen</caption>" in html
    assert "Meting vastleggen" not in html  # a reader records nothing


# Fidelity over time --------------------------------------------------------------------------------


@pytest.fixture
def checklist(trajectory, bewerker):
    services.method_save(
        trajectory=trajectory,
        by=bewerker,
        based_on=None,
        reason="Eerste versie",
        goal="Ouders betrekken",
        components=["Huisbezoek", "Doel bespreken", "App bijwerken"],
    )
    return services.fidelity_checklist_create(
        trajectory=trajectory, by=bewerker, version=trajectory.method_versions.get(), title="Checklist"
    )


def _observe(checklist, day, answers, professional=None):
    items = list(checklist.items.all())
    return services.fidelity_observe(
        checklist=checklist,
        by=None,
        observed_on=day,
        answers={item.pk: answer for item, answer in zip(items, answers, strict=True)},
        professional=professional,
    )


def test_fidelity_per_month_component_and_professional_hand_computed(trajectory, bewerker, checklist):
    fenna = services.professional_add(
        trajectory=trajectory, by=bewerker, name="Fenna", state="getraind", state_since=dt.date(2026, 1, 1)
    )
    youssef = services.professional_add(
        trajectory=trajectory, by=bewerker, name="Youssef", state="getraind", state_since=dt.date(2026, 1, 1)
    )
    _observe(checklist, dt.date(2026, 3, 3), ["ja", "ja", "ja"], fenna)  # March: 3/3
    _observe(checklist, dt.date(2026, 3, 30), ["ja", "deels", "nvt"], youssef)  # March: +1/2 → 4/5 = 80 %
    _observe(checklist, dt.date(2026, 4, 10), ["ja", "nee", "nee"], youssef)  # April: 1/3 = 33 %
    _observe(checklist, dt.date(2026, 5, 2), ["ja", "ja", "ja"])  # May: 3/3, nobody in particular

    trend = selectors_outcomes.fidelity_trend(trajectory)
    assert trend.threshold == 80
    assert trend.months == [dt.date(2026, 3, 1), dt.date(2026, 4, 1), dt.date(2026, 5, 1)]
    assert [(m.yes, m.scored, m.rate) for m in trend.overall] == [(4, 5, 80), (1, 3, 33), (3, 3, 100)]
    components = dict(trend.components)
    assert [m.rate for m in components["Huisbezoek"]] == [100, 100, 100]
    assert [m.rate for m in components["Doel bespreken"]] == [50, 0, 100]
    assert [(m.yes, m.scored) for m in components["App bijwerken"]] == [(1, 1), (0, 1), (1, 1)]
    professionals = dict(trend.professionals)
    assert [m.rate for m in professionals["Fenna"]] == [100, None, None]
    assert [m.rate for m in professionals["Youssef"]] == [50, 33, None]
    assert not trend.below  # recovered in May
    assert [p.text for p in trend.chart.points] == ["80%", "33%", "100%"]
    assert [p.on_target for p in trend.chart.points] == [True, False, True]


def test_a_trajectory_starts_with_its_teams_threshold_and_keeps_its_own(client, bewerker, trajectory, checklist):
    municipality = trajectory.owner
    municipality.fidelity_threshold = 60
    municipality.save(update_fields=["fidelity_threshold"])
    _observe(checklist, dt.date(2026, 6, 2), ["ja", "nee", "ja"])  # June: 2/3 = 67 %
    assert selectors_outcomes.fidelity_threshold(trajectory) == 60  # nothing set yet: the team's
    assert not selectors_outcomes.fidelity_trend(trajectory).below  # 67 % is above the team's 60 %
    client.force_login(bewerker)
    page = client.get(reverse("trajectories:quality_edit", args=[trajectory.pk])).content.decode()
    assert 'value="60"' in page.partition('name="fidelity_threshold"')[2][:80]  # opens with the team's threshold
    services.quality_update(trajectory=trajectory, by=bewerker, guard_name="Mira")
    trajectory.quality_monitoring.refresh_from_db()
    assert trajectory.quality_monitoring.fidelity_threshold == 60
    services.quality_update(trajectory=trajectory, by=bewerker, fidelity_threshold=75)
    municipality.fidelity_threshold = 90
    municipality.save(update_fields=["fidelity_threshold"])
    assert selectors_outcomes.fidelity_threshold(trajectory) == 75  # its own choice is kept
    assert selectors_outcomes.fidelity_trend(trajectory).below


def test_only_a_beheerder_sets_the_teams_threshold_and_a_bad_value_is_refused_in_dutch(
    client, beheerder, bewerker, trajectory
):
    municipality = trajectory.owner
    url = reverse("organisations:fidelity_threshold", args=[municipality.pk])
    client.force_login(bewerker)
    assert client.post(url, {"fidelity_threshold": "70", "version": municipality.version}).status_code == 403
    client.force_login(beheerder)
    for bad in ("0", "101", "zeventig"):
        response = client.post(url, {"fidelity_threshold": bad, "version": municipality.version})
        assert response.status_code == 400
        page = response.content.decode()
        assert "Vul een" in page and f'value="{bad}"' in page  # a Dutch message at the field, the input kept
    assert client.post(url, {"fidelity_threshold": "70", "version": municipality.version}).status_code == 302
    municipality.refresh_from_db()
    assert municipality.fidelity_threshold == 70
    assert "70%" in client.get(reverse("organisations:detail", args=[municipality.pk])).content.decode()
    assert selectors_outcomes.fidelity_threshold(trajectory) == 70


def test_below_the_threshold_suggests_a_booster_that_one_click_makes_an_action_once(
    client, bewerker, trajectory, checklist
):
    youssef = services.professional_add(
        trajectory=trajectory, by=bewerker, name="Youssef", state="getraind", state_since=dt.date(2026, 1, 1)
    )
    _observe(checklist, dt.date(2026, 5, 2), ["ja", "ja", "ja"])
    _observe(checklist, dt.date(2026, 6, 2), ["ja", "nee", "ja"], youssef)  # June: 2/3 = 67 %
    services.quality_update(trajectory=trajectory, by=bewerker, fidelity_threshold=70)
    trend = selectors_outcomes.fidelity_trend(trajectory)
    assert trend.below and trend.weak_components == ["Doel bespreken"] and trend.weak_professionals == ["Youssef"]

    client.force_login(bewerker)
    page = client.get(reverse("trajectories:quality", args=[trajectory.pk])).content.decode()
    assert "De modelgetrouwheid was 67% in juni 2026, onder de drempel van 70%." in page
    assert "Opfrisser toevoegen als stoplichtactie" in page
    url = reverse("trajectories:booster_action", args=[trajectory.pk])
    assert client.post(url).status_code == 302
    assert client.post(url).status_code == 302  # a second click adds no second action
    action = Action.objects.get(trajectory=trajectory)
    assert action.description.startswith("Opfrisser: coaching on the job of een extra training, modelgetrouwheid 67%")
    assert "Doel bespreken" in action.description and "Youssef" in action.description
    assert action.due_on == TODAY + dt.timedelta(days=28)


def test_no_booster_above_the_threshold(client, bewerker, trajectory, checklist):
    _observe(checklist, dt.date(2026, 6, 2), ["ja", "ja", "ja"])
    client.force_login(bewerker)
    response = client.post(reverse("trajectories:booster_action", args=[trajectory.pk]))
    assert response.status_code == 302 and not Action.objects.exists()


def test_an_observation_names_a_professional_of_this_trajectory_only(bewerker, trajectory, checklist, municipality):
    from tests.factories import make_trajectory

    other = make_trajectory(owner=municipality, by=bewerker, title="Ander traject")
    stranger = services.professional_add(
        trajectory=other, by=bewerker, name="Elders", state="getraind", state_since=dt.date(2026, 1, 1)
    )
    with pytest.raises(services.BorgenError):
        _observe(checklist, dt.date(2026, 6, 2), ["ja", "ja", "ja"], stranger)


# Reports -------------------------------------------------------------------------------------------


def test_progress_report_pdf_has_the_outcomes_and_fidelity_sections(client, lezer, trajectory, checklist):
    indicator = _indicator(trajectory)
    services.measurement_record(indicator=indicator, by=None, measured_on=dt.date(2026, 5, 1), value=Decimal(65))
    _observe(checklist, dt.date(2026, 6, 2), ["ja", "nee", "ja"])
    client.force_login(lezer)
    response = client.get(reverse("trajectories:progress_report_pdf", args=[trajectory.pk]))
    assert response.status_code == 200
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "Uitkomsten en bereik" in text and "0 van 1 indicatoren op doel" in text
    assert "Bereikte gezinnen" in text and "doel 70%" in text
    assert "Modelgetrouwheid door de tijd" in text and "drempel 80%" in text
    html = client.get(reverse("trajectories:phase_report", args=[trajectory.pk, "borgen"])).content.decode()
    assert "Uitkomsten en bereik" in html and "Modelgetrouwheid door de tijd" in html
    context = reports.phase_report(trajectory, "signaleren")
    assert "indicators" not in context


def test_measurements_export_lists_only_visible_trajectories(client, outsider, lezer, trajectory):
    indicator = _indicator(trajectory)
    services.measurement_record(indicator=indicator, by=None, measured_on=dt.date(2026, 5, 1), value=Decimal(65))
    client.force_login(lezer)
    text = client.get(reverse("trajectories:measurements_export", args=["csv"])).content.decode("utf-8-sig")
    assert "Bereikte gezinnen" in text and "65" in text
    client.force_login(outsider)
    text = client.get(reverse("trajectories:measurements_export", args=["csv"])).content.decode("utf-8-sig")
    assert "Bereikte gezinnen" not in text


# Query budgets -------------------------------------------------------------------------------------


def _grow(trajectory, checklist, by, *, indicators: int, months: int) -> None:
    for n in range(trajectory.indicators.count(), indicators):
        indicator = _indicator(trajectory, name=f"Indicator {n}")
        for month in range(1, months + 1):
            services.measurement_record(
                indicator=indicator, by=by, measured_on=dt.date(2026, month, 1), value=Decimal(50 + n)
            )
        _observe(checklist, dt.date(2026, n + 1, 5), ["ja", "nee", "ja"])


def _queries(client, urls: dict) -> dict[str, int]:
    counts = {}
    for name, url in urls.items():
        cache.clear()  # the first view after a change, not a cached page
        with CaptureQueriesContext(connection) as queries:
            assert client.get(url).status_code == 200, name
        counts[name] = len(queries)
    return counts


def test_query_counts_do_not_grow_with_indicators_and_measurements(client, bewerker, trajectory, checklist):
    urls = {
        "outcomes": reverse("trajectories:outcomes", args=[trajectory.pk]),
        "trajectory": trajectory.get_absolute_url(),
        "portfolio": reverse("trajectories:portfolio"),
        "quality": reverse("trajectories:quality", args=[trajectory.pk]),
        "progress report": reverse("trajectories:progress_report", args=[trajectory.pk]),
    }
    client.force_login(bewerker)
    _grow(trajectory, checklist, bewerker, indicators=1, months=1)
    small = _queries(client, urls)
    _grow(trajectory, checklist, bewerker, indicators=5, months=5)
    assert Measurement.objects.count() == 1 + 4 * 5
    assert _queries(client, urls) == small
