"""One service sets an organisation's settings (retention period, fidelity threshold): conflict-safe, with history
and audit, and nothing but those settings."""

import pytest
from django.urls import reverse

from fii.lib.conflicts import StaleEdit
from organisations import services
from organisations.models import AuditEvent, Organisation

SETTINGS = [("retention_months", 24), ("retention_months", None), ("fidelity_threshold", 70)]


@pytest.mark.parametrize(("field", "value"), SETTINGS)
def test_setting_is_saved_with_its_history_and_audit(municipality, beheerder, field, value):
    version = municipality.version
    saved = services.organisation_setting_set(
        organisation=municipality, field=field, value=value, expected_version=version, by=beheerder
    )
    stored = Organisation.objects.get(pk=municipality.pk)
    assert getattr(stored, field) == value
    assert stored.version == saved.version == version + 1
    # Outside a request the history still names who changed it.
    assert stored.history_records.latest("history_date").history_user == beheerder
    event = AuditEvent.objects.filter(object_type="organisations.Organisation", organisation=municipality).latest("pk")
    assert event.action == AuditEvent.Action.UPDATE
    assert field in event.changed_fields


@pytest.mark.parametrize(("field", "value"), SETTINGS)
def test_a_colleagues_save_in_between_refuses_and_names_the_field(municipality, beheerder, field, value):
    services.organisation_setting_set(
        organisation=municipality, field="fidelity_threshold", value=90, expected_version=1, by=beheerder
    )
    before = Organisation.objects.get(pk=municipality.pk)
    with pytest.raises(StaleEdit) as refused:
        services.organisation_setting_set(
            organisation=municipality, field=field, value=value, expected_version=1, by=beheerder
        )
    assert refused.value.fields == [field]
    assert refused.value.current.version == before.version == 2
    after = Organisation.objects.get(pk=municipality.pk)
    assert (after.retention_months, after.fidelity_threshold, after.version) == (None, 90, 2)


def test_only_settings_can_be_set(municipality, beheerder):
    with pytest.raises(ValueError, match="not a setting") as refused:
        services.organisation_setting_set(
            organisation=municipality, field="name", value="Gemeente Anders", expected_version=1, by=beheerder
        )
    assert not isinstance(refused.value, StaleEdit)
    assert Organisation.objects.get(pk=municipality.pk).name == "Gemeente Testdam"


@pytest.mark.parametrize(
    ("name", "setting", "heading"),
    [
        ("retention", "Bewaartermijn", "Bewaartermijn voor persoonsgegevens"),
        ("fidelity_threshold", "Drempel modelgetrouwheid", "Drempel modelgetrouwheid van het team"),
    ],
)
def test_setting_page_names_its_setting_in_title_breadcrumb_and_heading(
    client, municipality, beheerder, name, setting, heading
):
    client.force_login(beheerder)
    page = client.get(reverse(f"organisations:{name}", args=[municipality.pk])).content.decode()
    assert f"<title>{setting} · Gemeente Testdam · " in page
    assert f'<li class="breadcrumb-item active" aria-current="page">{setting}</li>' in page
    assert f'<h1 class="h2">{heading}</h1>' in page
