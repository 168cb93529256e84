"""Numbers, months and shares as the reader's language writes them."""

from datetime import date

from django.utils import formats
from django.utils.translation import gettext as _


def number(value) -> str:
    if value is None:
        return "—"
    return formats.number_format(value, force_grouping=True)


def percent(part: int, total: int, digits: int = 0) -> str:
    if not total:
        return "—"
    value = round(100 * part / total, digits)
    # Translators: a percentage; some languages put a space before the sign.
    return _("%(value)s%%") % {"value": formats.number_format(value, digits)}


def month_label(key: str, short: bool = False) -> str:
    year, month = (int(part) for part in key.split("-"))
    day = date(year, month, 1)
    if short:
        return formats.date_format(day, "M")
    return formats.date_format(day, "YEAR_MONTH_FORMAT")


def listing(items: list[str]) -> str:
    """ "a, b and c" in the reader's language."""
    items = [str(i) for i in items]
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return _("%(items)s and %(last)s") % {"items": ", ".join(items[:-1]), "last": items[-1]}
