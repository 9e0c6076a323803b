"""Dutch is the users' language: every user-visible string must have a Dutch translation."""

import shutil
import subprocess
import sys
from pathlib import Path

import polib
import pytest
from django.conf import settings

PO_FILE = Path(settings.BASE_DIR) / "locale" / "nl" / "LC_MESSAGES" / "django.po"


def test_catalogue_is_complete_and_compiled():
    po = polib.pofile(str(PO_FILE))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"Untranslated: {untranslated[:10]}"
    assert not fuzzy, f"Fuzzy: {fuzzy[:10]}"
    mo = polib.mofile(str(PO_FILE.with_suffix(".mo")))
    compiled = {(e.msgctxt, e.msgid): e.msgstr or e.msgstr_plural for e in mo}
    for entry in po.translated_entries():
        assert (entry.msgctxt, entry.msgid) in compiled, f"Run `make messages`: {entry.msgid!r} is not compiled"


@pytest.mark.skipif(shutil.which("xgettext") is None, reason="GNU gettext is not installed")
def test_makemessages_would_add_nothing(tmp_path):
    """Extract the strings afresh into a copy of the catalogue; nothing new may appear."""
    project = Path(settings.BASE_DIR)
    copy = tmp_path / "project"
    shutil.copytree(
        project,
        copy,
        ignore=shutil.ignore_patterns(
            ".venv", ".git", "node_modules", "screenshots", "staticfiles", "*.sqlite3", "media"
        ),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "nl",
            "--no-obsolete",
            "--ignore=tests",
            "--ignore=screenshots",
        ],
        cwd=copy,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(copy / "locale" / "nl" / "LC_MESSAGES" / "django.po"))
    new = [e.msgid for e in fresh if not e.obsolete and (not e.translated() or "fuzzy" in e.flags)]
    assert not new, f"Strings without a Dutch translation (run `make messages` and translate): {new[:10]}"
