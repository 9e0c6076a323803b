import factory
from faker import Faker

from organisations.models import Membership, Organisation, Role, User
from trajectories import services


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.GEMEENTE


_faker = Faker("nl_NL")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    # A Dutch name without the apostrophe of "van 't Wel": tests compare names with page text, where the
    # template escapes it (&#x27;); escaping itself is tested with chosen names (tests/test_security.py).
    full_name = factory.LazyFunction(lambda: _faker.name().replace("'", ""))
    password = factory.django.Password("correct-horse-battery")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.SubFactory(OrganisationFactory)
    role = Role.BEWERKER


def make_trajectory(*, owner, by=None, title="Vroeg Eropaf", start_phase="verkennen", **kwargs):
    """A trajectory created through the real service, so phase states and history are complete."""
    defaults = {"has_commissioner": True, "receiving_identified": False}
    defaults.update(kwargs)
    return services.trajectory_create(owner=owner, by=by, title=title, start_phase=start_phase, **defaults)
