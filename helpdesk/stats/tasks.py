"""Background work of the statistics: keep the daily rollup current."""

from datetime import timedelta

from django.tasks import task

from config.tasks import periodic

from .services import day_counts_refresh


@task
def refresh_day_counts():
    """Recount the days whose tickets changed. Idempotent: a second run finds nothing to do.

    The figures are exact without it (changed days are counted from the tickets); it keeps the
    number of such days, and so the cost of a statistics page, small.
    """
    return day_counts_refresh()


periodic("stats.refresh_day_counts", refresh_day_counts, every=timedelta(minutes=5))
