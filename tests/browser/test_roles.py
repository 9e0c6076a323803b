"""What each persona sees of a trajectory in the browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .helpers import goto


def edit_controls(page, trajectory):
    """Links in <main> that change the trajectory: edit, phase transition and the subphase edits."""
    edit = reverse("trajectories:edit", args=[trajectory.pk])
    transition = reverse("trajectories:transition", args=[trajectory.pk])
    subphases = reverse("trajectories:subphase_edit", args=[trajectory.pk, "2a"]).removesuffix("2a/")
    return page.locator("main").locator(f"a[href='{edit}'], a[href='{transition}'], a[href^='{subphases}']")


@pytest.mark.parametrize(("persona", "may_edit"), [("bewerker", True), ("lezer", False)])
def test_edit_controls_follow_the_role(request, login_as, trajectory, problems, persona, may_edit):
    page = login_as(request.getfixturevalue(persona), via_form=True)  # the real login form, once per persona

    for url in (
        trajectory.get_absolute_url(),
        reverse("trajectories:phase", args=[trajectory.pk, trajectory.current_phase]),
    ):
        goto(page, url)
        expect(page.locator("main")).to_contain_text(trajectory.title)
        if may_edit:
            expect(edit_controls(page, trajectory)).not_to_have_count(0)
        else:
            expect(edit_controls(page, trajectory)).to_have_count(0)
    expect(page.locator("#subphase-2a a[hx-get]")).to_have_count(1 if may_edit else 0)

    if not may_edit:
        # Typing the address does not help: the role is too low (403); the trajectory itself is known.
        transition_url = reverse("trajectories:transition", args=[trajectory.pk])
        problems.expect_status(transition_url, 403)
        goto(page, transition_url, status=403)


def test_outsider_does_not_learn_the_trajectory_exists(login_as, outsider, trajectory, problems):
    page = login_as(outsider)
    for url in (
        trajectory.get_absolute_url(),
        reverse("trajectories:phase", args=[trajectory.pk, trajectory.current_phase]),
        reverse("trajectories:transition", args=[trajectory.pk]),
    ):
        problems.expect_status(url, 404)
        goto(page, url, status=404)
        expect(page.locator("body")).not_to_contain_text(trajectory.title)
