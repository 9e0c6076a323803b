"""What each persona sees of a trajectory in the browser."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from .helpers import goto


def edit_controls(page, trajectory):
    """Links that change the trajectory: edit, phase transition and the subphase edit links."""
    hrefs = [
        reverse("trajectories:edit", args=[trajectory.pk]),
        reverse("trajectories:transition", args=[trajectory.pk]),
    ]
    selector = ", ".join(f"a[href='{href}']" for href in hrefs)
    subphase_prefix = reverse("trajectories:subphase_edit", args=[trajectory.pk, "2a"]).removesuffix("2a/")
    return page.locator("main").locator(f"{selector}, a[href^='{subphase_prefix}']")


@pytest.mark.parametrize(("persona", "may_edit"), [("bewerker", True), ("lezer", False)])
def test_edit_controls_follow_the_role(request, login_as, trajectory, problems, persona, may_edit):
    page = login_as(request.getfixturevalue(persona))

    goto(page, trajectory.get_absolute_url())
    expect(page.get_by_role("heading", level=1)).to_have_text(trajectory.title)
    controls = edit_controls(page, trajectory)
    if may_edit:
        expect(controls).not_to_have_count(0)
    else:
        expect(controls).to_have_count(0)

    goto(page, reverse("trajectories:phase", args=[trajectory.pk, trajectory.current_phase]))
    expect(page.locator("#subphase-2a")).to_be_visible()
    expect(page.locator("#subphase-2a a[hx-get]")).to_have_count(1 if may_edit else 0)
    if may_edit:
        expect(controls).not_to_have_count(0)
    else:
        expect(controls).to_have_count(0)

        # Typing the address does not help either: the role is too low (403), not unknown.
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
