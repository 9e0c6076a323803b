import factory

from organisations.models import Membership, Organisation, Role, User
from trajectories import services


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Organisatie {n}")
    kind = Organisation.Kind.GEMEENTE


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    full_name = factory.Faker("name", locale="nl_NL")
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
