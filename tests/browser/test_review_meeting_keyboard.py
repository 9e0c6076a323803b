"""A whole stoplight review held with the keyboard alone (issue 18), checking where focus lands after every swap.

Start (attendees carried over), lights, a note, an action owned by a key figure without an account, the meeting's
summary edited in place, and finalising with its confirmation. After login only ``page.keyboard`` is used.
"""

import datetime as dt

from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from tests.test_permissions import stakeholder_of
from trajectories import services
from trajectories.models import Review

from .helpers import goto
from .test_keyboard_review import _focus_is_visible, _live_region, _tab_to

NOTE = "Gesprek gepland met de jurist."
ACTION = "Jurist geeft de inhaaltraining"
SUMMARY = "Inhaaltraining in januari; verder alles op koers."


def test_whole_review_by_keyboard_with_focus_after_every_swap(login_as, bewerker, beheerder, trajectory):
    key_figure = stakeholder_of(trajectory)  # Fenna Wethouder: a key figure without an account
    today = timezone.localdate()
    previous = services.review_start(
        trajectory=trajectory,
        by=bewerker,
        held_on=today - dt.timedelta(days=14),
        phases=["verkennen"],
        attendees=[bewerker],
        other_attendees="Wethouder Jansen",
    )
    services.review_finalise(review=previous, by=bewerker)
    page = login_as(bewerker)
    goto(page, reverse("trajectories:reviews", args=[trajectory.pk]))

    # Start: the attendees of the previous review are ticked already; tick one more with Space.
    start_url = reverse("trajectories:review_start", args=[trajectory.pk])
    _tab_to(page, f"el.matches(\"main a[href='{start_url}']\")")
    with page.expect_navigation():
        page.keyboard.press("Enter")
    expect(page.locator(f"input[name=present][value='u{bewerker.pk}']")).to_be_checked()
    expect(page.locator("textarea[name=other_attendees]")).to_have_value("Wethouder Jansen")
    _tab_to(page, f"el.name === 'present' && el.value === 'u{beheerder.pk}'")
    page.keyboard.press("Space")
    _tab_to(page, "el.matches('main button[type=submit]')")
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 200
    review = Review.objects.get(trajectory=trajectory, finalised_at__isnull=True)
    assert set(review.attendees.all()) == {bewerker, beheerder}
    first, second = list(review.items.order_by("position", "pk"))[:2]

    # Lights: g on the first item, j and o on the second; focus stays on the pressed button.
    _tab_to(page, f"el.id === 'light-{first.pk}-groen'")
    page.keyboard.press("g")
    expect(page.locator(f"td#light-{first.pk}")).to_have_attribute("data-light", "groen")
    expect(page.locator(f"#light-{first.pk}-groen")).to_be_focused()
    assert _focus_is_visible(page)
    page.keyboard.press("j")
    page.keyboard.press("o")
    expect(page.locator(f"td#light-{second.pk}")).to_have_attribute("data-light", "oranje")
    expect(page.locator(f"#light-{second.pk}-oranje")).to_be_focused()

    # Note: typed, saved on leaving the field; focus moves on to the next control, never to the page's top.
    _tab_to(page, f"el.id === 'note-input-{second.pk}'")
    page.keyboard.type(NOTE)
    page.keyboard.press("Tab")
    expect(page.locator(f"td#note-{second.pk} .saved-hint")).to_be_visible()
    assert page.evaluate(f"document.activeElement.closest('tr#item-{second.pk}') !== null")  # still in the row

    # Action: orange opened the "new action" form; the owner is the key figure without an account.
    _tab_to(page, f"el.id === 'a{second.pk}-description'")
    page.keyboard.type(ACTION)
    page.keyboard.press("Tab")
    expect(page.locator(f"#a{second.pk}-assignee")).to_be_focused()
    page.keyboard.type("Fenna")  # a closed select picks the option whose label starts with what is typed
    expect(page.locator(f"#a{second.pk}-assignee")).to_have_value(f"p{key_figure.pk}")
    _tab_to(page, f"el.matches('td#actions-{second.pk} button[type=submit]')")
    page.keyboard.press("Enter")
    expect(_live_region(page)).to_have_text("Actie toegevoegd.")
    new_action = page.locator(f"td#actions-{second.pk} [data-focus-on-swap]")
    expect(new_action).to_have_text(ACTION)
    expect(new_action).to_be_focused()  # the new action, not an older action's "Afvinken"
    assert _focus_is_visible(page)
    expect(page.locator(f"td#actions-{second.pk}")).to_contain_text("geen account, krijgt geen e-mail")
    action = trajectory.actions.get(description=ACTION)
    assert action.owner_person == key_figure and action.assignee is None

    # Summary, edited in place: focus goes to the form's heading, then back to the meeting card once saved.
    _tab_to(page, "el.id === 'meeting-edit'", key="Shift+Tab", limit=200)
    page.keyboard.press("Enter")
    expect(page.locator("#meeting-form-heading")).to_be_focused()
    _tab_to(page, "el.id === 'id_summary'")
    page.keyboard.type(SUMMARY)
    _tab_to(page, "el.matches('#review-meeting button[type=submit]')")
    page.keyboard.press("Enter")
    expect(page.locator("#meeting-heading")).to_be_focused()
    expect(page.locator("#review-meeting")).to_contain_text(SUMMARY)
    expect(_live_region(page)).to_have_text("Gegevens van de bespreking opgeslagen.")

    # Finalise: it asks first and lists what deserves a look (the items nobody assessed).
    _tab_to(page, "el.id === 'finalise-start'")
    page.keyboard.press("Enter")
    expect(page.locator("#finalise-heading")).to_be_focused()
    expect(page.locator("#finalise-panel")).to_contain_text("zijn niet beoordeeld")
    expect(page.locator("#finalise-panel")).not_to_contain_text("geen open actie")  # the orange item has one
    finalise_url = reverse("trajectories:review_finalise", args=[trajectory.pk, review.pk])
    _tab_to(page, f"el.matches(\"#finalise-panel form[action='{finalise_url}'] button\")")
    assert _focus_is_visible(page)
    with page.expect_navigation() as navigation:
        page.keyboard.press("Enter")
    assert navigation.value.status == 200

    review.refresh_from_db()
    assert review.is_final and review.summary == SUMMARY
    assert review.items.get(pk=second.pk).note == NOTE
