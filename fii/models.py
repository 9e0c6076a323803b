"""The page cache's own table: the version numbers its keys are made of (``fii/cache_versions.py``)."""

from django.db import models


class CacheVersion(models.Model):
    """How often the data under one object's cached entries changed: ``(scope, object_id) → number``.

    Only ``fii/cache_versions.py`` writes it (one upsert in the writer's own transaction) and reads it (a
    subquery next to the rows a page reads anyway). No foreign key: the scopes belong to higher apps
    (a trajectory's revision, a user's access version), which this app may not know.
    """

    scope = models.CharField(max_length=40)
    object_id = models.PositiveBigIntegerField()
    number = models.PositiveBigIntegerField(default=0)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["scope", "object_id"], name="cacheversion_unique_object")]

    def __str__(self) -> str:
        return f"{self.scope} {self.object_id}: {self.number}"
