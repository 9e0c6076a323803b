"""Write trajectories to a ``fii-trajectories`` JSON file (docs/export-format.md)."""

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Q
from django.utils.text import slugify

from organisations.models import Organisation
from trajectories.models import Trajectory
from trajectories.services import trajectories_export_json


class Command(BaseCommand):
    help = "Export one trajectory, or all trajectories an organisation gives, to JSON (format fii-trajectories)."

    def add_arguments(self, parser):
        which = parser.add_mutually_exclusive_group(required=True)
        which.add_argument("--organisation", help="Name, slug or id of the giving organisation: all its trajectories.")
        which.add_argument("--trajectory", type=int, help="Database id of one trajectory.")
        parser.add_argument("-o", "--output", help="File to write; standard output when left out.")

    def handle(self, *args, organisation=None, trajectory=None, output=None, **options):
        if trajectory is not None:
            trajectories = Trajectory.objects.filter(pk=trajectory)
            if not trajectories.exists():
                raise CommandError(f"No trajectory with id {trajectory}.")
        else:
            lookup = Q(name__iexact=organisation)
            if organisation.isdigit():
                lookup |= Q(pk=int(organisation))
            found = Organisation.objects.filter(lookup).first() or next(
                (o for o in Organisation.objects.all() if slugify(o.name) == organisation), None
            )
            if found is None:
                raise CommandError(f"No organisation named {organisation!r}.")
            trajectories = Trajectory.objects.filter(owner=found)
        text = trajectories_export_json(trajectories=trajectories)
        if output:
            with open(output, "w", encoding="utf-8") as handle:
                handle.write(text)
            self.stderr.write(f"{trajectories.count()} trajectories written to {output}.")
        else:
            self.stdout.write(text, ending="")
