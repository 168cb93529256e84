"""Template tags for figures and charts; other apps' sections use them too.

{% load stats %}
{% heatmap counts title=_("Calls by hour of the week") %}   {# {hour_of_week: count} #}
{% share_table rows total title %}                          {# rows with .code .label .count #}
{{ value|number }}  {{ part|percent:total }}  {{ hours|hours }}
"""

from django import template
from django.utils import translation

from helpdesk.models import Channel

from .. import charts, formatting

register = template.Library()


def _rtl() -> bool:
    return translation.get_language_bidi()


@register.filter
def number(value):
    return formatting.number(value)


@register.filter
def percent(part, total):
    return formatting.percent(part or 0, total or 0)


@register.filter
def hours(value):
    return charts.hours_label(value)


@register.filter
def month(key):
    return formatting.month_label(key)


@register.inclusion_tag("stats/charts/heatmap.html")
def heatmap(counts, title, caption=""):
    return {"chart": charts.heatmap(counts or {}, title=str(title), rtl=_rtl()), "caption": caption}


@register.inclusion_tag("stats/charts/bar_table.html")
def share_table(rows, total, title, first_column="", export_key="", export_query=""):
    return {
        "rows": charts.share_rows(rows, total, rtl=_rtl()),
        "total": total,
        "title": title,
        "first_column": first_column or title,
        "export_key": export_key,
        "export_query": export_query,
    }


@register.inclusion_tag("stats/charts/stacked_bars.html")
def months_by_channel(figures, title):
    """The contacts of each month, stacked by channel (biggest channel at the bottom)."""
    labels = dict(Channel.choices)
    series = [(row.code, str(labels.get(row.code, row.code))) for row in figures.channels]
    columns = [
        (key, formatting.month_label(key, short=len(figures.by_month) > 3))
        for key in figures.by_month
    ]
    chart = charts.stacked_bars(
        columns, series, figures.by_month_channel, title=str(title), rtl=_rtl()
    )
    return {"chart": chart, "figures": figures, "series": series}


@register.filter
def get_item(mapping, key):
    return (mapping or {}).get(key)
