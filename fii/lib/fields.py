"""Model fields shared by the apps."""

from django.db import models
from django.db.models import F


class DatabaseCounterField(models.PositiveBigIntegerField):
    """A counter that only the database raises (``queryset.update(name=F(name) + 1)``).

    ``save()`` of the model writes it back as the database has it (``SET name = name``), never the
    instance's value, which may be older than a raise made since the instance was loaded: an older
    number would undo a raise made since (``User.unread_notifications``, the count in every page's header).
    The page cache's counters are not model fields (``fii/cache_versions.py``).
    """

    def pre_save(self, model_instance, add):
        if add:
            return super().pre_save(model_instance, add)
        return F(self.attname)
