"""Model fields shared by the apps."""

from django.db import models
from django.db.models import F


class DatabaseCounterField(models.PositiveBigIntegerField):
    """A counter that only the database raises (``queryset.update(name=F(name) + 1)``).

    ``save()`` of the model writes it back as the database has it (``SET name = name``), never the
    instance's value, which may be older than a raise made since the instance was loaded: an older
    number would bring back what was cached under it (``Trajectory.revision``, ``User.access_version``).
    """

    def pre_save(self, model_instance, add):
        if add:
            return super().pre_save(model_instance, add)
        return F(self.attname)
