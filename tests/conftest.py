"""Personas: a municipality with a beheerder, bewerker and lezer; an outsider organisation's beheerder."""

import pytest

from organisations.models import Role, User
from trajectories.models import Trajectory

from . import demo_snapshot, flush_rows, pg_template, sqlite_template
from .factories import MembershipFactory, OrganisationFactory, UserFactory, make_trajectory
from .mailhelpers import clock, smtp_server  # noqa: F401 (fixtures: a fixed clock, a real SMTP server)

PASSWORD = "correct-horse-battery"

sqlite_template.install()
pg_template.install()
flush_rows.install()


# The longest tests (whole-site walks of a minute each) start first: started last, one of them kept a worker busy
# for a minute after the other had run out of tests. pytest-xdist's worksteal then shares out the rest.
RUN_FIRST = (
    "tests/browser/test_narrow_screens.py::test_every_page_type_fits_a_phone_and_passes_axe",
    "tests/browser/test_accessibility.py::test_every_page_type_passes_axe",
    "tests/browser/test_screen_sizes.py::test_main_pages_fit_the_screen",
    "tests/test_migrations.py::",
)


def pytest_collection_modifyitems(config, items):
    items.sort(key=lambda item: not item.nodeid.startswith(RUN_FIRST))  # stable: the rest keep their order
    _skip_migration_tests_on_sqlite(items)


def _skip_migration_tests_on_sqlite(items):
    """Tests that migrate a seeded database back and forward (marker ``migrations``) run on PostgreSQL, the
    production database, where `.ci/run` runs them once; on SQLite they are skipped unless
    FII_MIGRATION_TESTS=1, which keeps `make test` fast (issue 20)."""
    import os

    from django.conf import settings

    if settings.DATABASES["default"]["ENGINE"].endswith("postgresql") or os.environ.get("FII_MIGRATION_TESTS"):
        return
    skip = pytest.mark.skip(reason="migration test: runs on PostgreSQL (.ci/run) or with FII_MIGRATION_TESTS=1")
    for item in items:
        if "migrations" in item.keywords:
            item.add_marker(skip)


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files go to a temporary folder, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _empty_cache():
    """Cached page parts are keyed on trajectory id and revision; a rolled-back test reuses both."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


@pytest.fixture(scope="session")
def _demo_rows(django_db_setup, django_db_blocker):
    """The demo data's rows, loaded once per session (and per xdist worker); see tests/demo_snapshot.py."""
    with django_db_blocker.unblock():
        return sqlite_template.shared_rows(demo_snapshot.take)


@pytest.fixture
def demo_data(db, _demo_rows):
    """The demo data with the demo accounts (``load_fii_data --accounts``), in this test's transaction."""
    demo_snapshot.restore(_demo_rows)


@pytest.fixture
def municipality(db):
    return OrganisationFactory(name="Gemeente Testdam")


@pytest.fixture
def outsider_org(db):
    return OrganisationFactory(name="Gemeente Elders")


def _member(org, role, email):
    return MembershipFactory(user=UserFactory(email=email), organisation=org, role=role).user


@pytest.fixture
def beheerder(municipality):
    return _member(municipality, Role.BEHEERDER, "beheerder@testdam.nl")


@pytest.fixture
def bewerker(municipality):
    return _member(municipality, Role.BEWERKER, "bewerker@testdam.nl")


@pytest.fixture
def lezer(municipality):
    return _member(municipality, Role.LEZER, "lezer@testdam.nl")


@pytest.fixture
def outsider(outsider_org):
    return _member(outsider_org, Role.BEHEERDER, "beheerder@elders.nl")


@pytest.fixture
def trajectory(municipality, bewerker):
    return make_trajectory(owner=municipality, by=bewerker, title="Schuldhulp Vroeg")


@pytest.fixture
def personas(beheerder, bewerker, lezer, outsider):
    return {"beheerder": beheerder, "bewerker": bewerker, "lezer": lezer, "outsider": outsider}


# The personas and their trajectory exactly as the fixtures above make them, as one world for the tests that go over
# every URL name (the permission matrix, the CSP check, the form fuzzer: about 950 tests).
WORLD = {
    "beheerder": ("beheerder@testdam.nl", Role.BEHEERDER),
    "bewerker": ("bewerker@testdam.nl", Role.BEWERKER),
    "lezer": ("lezer@testdam.nl", Role.LEZER),
    "outsider": ("beheerder@elders.nl", Role.BEHEERDER),
}


def _build_world() -> None:
    municipality, elders = OrganisationFactory(name="Gemeente Testdam"), OrganisationFactory(name="Gemeente Elders")
    users = {
        persona: _member(elders if persona == "outsider" else municipality, role, email)
        for persona, (email, role) in WORLD.items()
    }
    make_trajectory(owner=municipality, by=users["bewerker"], title="Schuldhulp Vroeg")


@pytest.fixture(scope="session")
def _world_rows(django_db_setup, django_db_blocker):
    """Made once per worker through the services (history, audit, visibility rows included) and copied into each
    test with a few bulk INSERTs (tests/demo_snapshot.py): the same rows in a tenth of the time."""
    with django_db_blocker.unblock():
        return demo_snapshot.take(_build_world)


@pytest.fixture
def world(db, _world_rows):
    """(the trajectory, the personas by name), in this test's transaction."""
    demo_snapshot.restore(_world_rows)
    users = {user.email: user for user in User.objects.filter(email__in=[email for email, _ in WORLD.values()])}
    return Trajectory.objects.get(title="Schuldhulp Vroeg"), {p: users[email] for p, (email, _) in WORLD.items()}
