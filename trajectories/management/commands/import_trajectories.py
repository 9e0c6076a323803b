"""Read a ``fii-trajectories`` JSON file into this installation, all or nothing (docs/export-format.md)."""

from django.core.management.base import BaseCommand, CommandError

from trajectories.services import TransferError, trajectories_import
from trajectories.transfer_schema import read_document


class Command(BaseCommand):
    help = "Import trajectories from a fii-trajectories JSON file in one transaction."

    def add_arguments(self, parser):
        parser.add_argument("file", help="The export file.")
        parser.add_argument(
            "--as-copy",
            action="store_true",
            help="Import trajectories that already exist here as copies with new keys, instead of refusing.",
        )

    def handle(self, *args, file, as_copy=False, **options):
        # No worker timeout here: the file is read without the upload form's size limits (nesting is still
        # bounded), and checked against the same schema.
        try:
            with open(file, "rb") as handle:
                data = read_document(handle.read(), bounded=False)
        except (OSError, TransferError) as error:
            raise CommandError(f"Cannot read {file}: {error}") from None
        try:
            result = trajectories_import(data=data, as_copy=as_copy)
        except TransferError as error:
            raise CommandError(f"Nothing was imported. {error}") from None
        for trajectory in result["trajectories"]:
            self.stdout.write(f"Imported: {trajectory.title} (id {trajectory.pk}, key {trajectory.export_key})")
        self.stdout.write(
            f"{len(result['trajectories'])} trajectories; new: {result['organisations']} organisations, "
            f"{result['users']} users (inactive, without password), {result['persons']} persons."
        )
