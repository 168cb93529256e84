from django.db import models


class ScheduledJobRun(models.Model):
    """When each periodic job (config.tasks.periodic) was last enqueued."""

    name = models.CharField(max_length=100, unique=True)
    last_enqueued_at = models.DateTimeField(null=True, blank=True)

    def __str__(self):
        return self.name
