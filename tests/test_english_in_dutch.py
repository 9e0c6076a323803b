"""No English UI text on the Dutch pages: every page of the permission matrix, rendered in Dutch, is searched
for Django's own English strings and for the English msgids of our catalogue. Text marked lang="en" (the
CFIR names, which stay in English on purpose) is left out."""

from html.parser import HTMLParser
from pathlib import Path

import polib
from django.conf import settings
from django.urls import reverse
from django.utils import translation

from tests.browser.test_accessibility import page_names
from tests.test_permissions import MATRIX
from trajectories import services

# Django's English that showed on Dutch pages before, or could: its 6.1 empty choice label, form errors.
DJANGO_ENGLISH = [
    "- Select an option -",
    "Select an option",
    "This field is required",
    "Enter a valid",
    "Please enter a correct",
    "Select a valid choice",
    "Ensure this value",
]
VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "track", "wbr"}


class DutchText(HTMLParser):
    """The text a Dutch user reads or hears: content and labelling attributes, minus lang="en" parts."""

    ATTRIBUTES = ("title", "aria-label", "placeholder", "alt")

    def __init__(self):
        super().__init__()
        self.parts: list[str] = []
        self.stack: list[bool] = []  # per open element: is it (or an ancestor) English, script or style?

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        skip = bool(self.stack and self.stack[-1]) or attrs.get("lang") == "en" or tag in ("script", "style")
        if not skip:
            self.parts.extend(attrs[name] for name in self.ATTRIBUTES if attrs.get(name))
        if tag not in VOID:
            self.stack.append(skip)

    def handle_endtag(self, tag):
        if tag not in VOID and self.stack:
            self.stack.pop()

    def handle_data(self, data):
        if not (self.stack and self.stack[-1]):
            self.parts.append(data)

    @classmethod
    def of(cls, html: str) -> str:
        parser = cls()
        parser.feed(html)
        return " ".join(" ".join(parser.parts).split())


def catalogue_english() -> list[str]:
    """Our msgids that read as English sentences (three words or more) and have a different Dutch text."""
    po = polib.pofile(str(Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    return [
        entry.msgid
        for entry in po.translated_entries()
        if not entry.msgid_plural
        and entry.msgstr != entry.msgid
        and len(entry.msgid.split()) >= 3
        and not any(mark in entry.msgid for mark in ("%(", "{", "<", "\n"))
    ]


def test_the_check_sees_english_and_ignores_lang_en():
    text = DutchText.of('<p title="Select an option">Kies</p><p lang="en"><b>Tension for change</b></p>')
    assert "Select an option" in text and "Tension" not in text


def test_dutch_pages_show_no_english_ui_text(client, beheerder, trajectory):
    services.checklist_copy_from_template(trajectory=trajectory, phase="verkennen", by=beheerder)
    names = page_names("beheerder")  # builders that change state (finalising the open review) come last
    assert len(names) >= 30
    english = DJANGO_ENGLISH + catalogue_english()
    client.force_login(beheerder)
    found = []
    for name in names:
        args_for = MATRIX[name][0]
        with translation.override("nl"):
            url = reverse(name, args=args_for(trajectory) if args_for else None)
        response = client.get(url, follow=True)  # as a browser does: starting a review may lead to the open one
        assert response.status_code == 200, f"{name} {url}: {response.status_code}"
        text = DutchText.of(response.content.decode())
        found += [f"{name} {url}: {phrase!r}" for phrase in english if phrase in text]
    assert not found, "English text on Dutch pages:\n" + "\n".join(found)


def test_failed_login_says_juist_e_mailadres_in_dutch(client, bewerker):
    response = client.post(reverse("login"), {"username": bewerker.email, "password": "fout"})
    text = DutchText.of(response.content.decode())
    assert "Voer een juist e-mailadres en wachtwoord in" in text
    assert "juiste e-mailadres" not in text
