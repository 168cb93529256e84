"""Keyset ("cursor") pagination, stable while rows arrive or change.

The cursor holds the sort values of the last row of the page (plus the id, which breaks ties),
and the next page is "the rows after that", read through the table's index. A ticket created
while a client pages through the list never shifts a page and is never seen twice; no OFFSET is
ever counted, so page 10,000 costs what page 1 costs.
"""

import base64
import json
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import Q, QuerySet
from django.utils.translation import gettext as _
from rest_framework import serializers
from rest_framework.exceptions import ValidationError


def _encode(values: list) -> str:
    data = [v.isoformat() if isinstance(v, datetime) else v for v in values]
    raw = json.dumps(data, separators=(",", ":")).encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def _decode(cursor: str, count: int) -> list:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        values = json.loads(raw)
    except (ValueError, TypeError):
        values = None
    if not isinstance(values, list) or len(values) != count:
        raise ValidationError(
            {"cursor": [_("This cursor is not valid: start from the first page.")]}
        )
    return values


def page_size_from(request) -> int:
    raw = request.query_params.get("page_size", "")
    if not raw:
        return settings.API_PAGE_SIZE
    try:
        size = int(raw)
    except ValueError:
        size = 0
    if not 1 <= size <= settings.API_MAX_PAGE_SIZE:
        raise ValidationError(
            {
                "page_size": [
                    _("Choose a page size from 1 to %(max)s.") % {"max": settings.API_MAX_PAGE_SIZE}
                ]
            }
        )
    return size


class KeysetPage:
    def __init__(self, rows, next_cursor, request):
        self.rows = rows
        self.next_cursor = next_cursor
        self.request = request

    def next_link(self) -> str | None:
        if self.next_cursor is None:
            return None
        query = self.request.query_params.copy()
        query["cursor"] = self.next_cursor
        return self.request.build_absolute_uri(self.request.path) + "?" + query.urlencode()


def keyset_page(*, queryset: QuerySet, ordering: tuple[str, ...], request, load=None) -> KeysetPage:
    """One page of `queryset` in `ordering` (which must end with a unique column, e.g. -id),
    starting after ?cursor=. `load(ids)` turns the page's ids into rows (default: in_bulk)."""
    fields = [o.lstrip("-") for o in ordering]
    size = page_size_from(request)
    cursor = request.query_params.get("cursor", "")
    if cursor:
        values = _decode(cursor, len(fields))
        queryset = queryset.filter(_after(ordering, values, queryset))
    keys = list(queryset.order_by(*ordering).values_list("pk", *fields)[: size + 1])
    more = len(keys) > size
    keys = keys[:size]
    ids = [key[0] for key in keys]
    if load is None:
        rows_by_id = queryset.model._default_manager.in_bulk(ids)
        rows = [rows_by_id[pk] for pk in ids]
    else:
        rows = load(ids)
    next_cursor = _encode(list(keys[-1][1:])) if more and keys else None
    return KeysetPage(rows, next_cursor, request)


def _after(ordering, values, queryset) -> Q:
    """Rows strictly after `values` in `ordering`: (a > x) or (a = x and b > y) or ..."""
    model = queryset.model
    parsed = []
    for order, value in zip(ordering, values, strict=True):
        field = model._meta.get_field(order.lstrip("-"))
        try:
            if value is None or isinstance(value, dict | list):
                raise TypeError
            parsed.append(field.to_python(value))
        except (DjangoValidationError, TypeError, ValueError):
            raise ValidationError(
                {"cursor": [_("This cursor is not valid: start from the first page.")]}
            ) from None
    condition = Q(pk__in=[])
    for i, order in enumerate(ordering):
        name = order.lstrip("-")
        step = Q(**{f"{name}__{'lt' if order.startswith('-') else 'gt'}": parsed[i]})
        for earlier, value in zip(ordering[:i], parsed[:i], strict=True):
            step &= Q(**{earlier.lstrip("-"): value})
        condition |= step
    return condition


def paginated_schema(item_serializer, name: str):
    """The schema of a page of `item_serializer` (for extend_schema)."""
    return type(
        name,
        (serializers.Serializer,),
        {
            "results": item_serializer(many=True),
            "next": serializers.URLField(
                allow_null=True, help_text="The next page, or null on the last one."
            ),
            "next_cursor": serializers.CharField(
                allow_null=True, help_text="The cursor of the next page (?cursor=)."
            ),
        },
    )


def page_response(page: KeysetPage, data) -> dict:
    return {"results": data, "next": page.next_link(), "next_cursor": page.next_cursor}
