"""Choice widgets that write their options in Python instead of one template include per option.

Django renders every <option> (and every checkbox of a CheckboxSelectMultiple) through its own
template include; on the ticket page, with its six forms and the lists of topics, languages,
outcomes, referral organisations, queues and staff, that was a third of the page's CPU time
(measured with pyinstrument, docs/benchmarks.md). These widgets give the same HTML as Django's
templates (the tests compare the two), escaped with format_html.
"""

from django import forms
from django.utils.html import format_html, format_html_join
from django.utils.safestring import mark_safe


def html_attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: True is a bare name, False and None are left out."""
    return format_html_join(
        "",
        "{}",
        (
            (format_html(" {}", name) if value is True else format_html(' {}="{}"', name, value),)
            for name, value in attrs.items()
            if value is not False and value is not None
        ),
    )


class PythonSelectMixin:
    """For Select and SelectMultiple: the markup of django/forms/widgets/select.html."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        parts = [format_html('<select name="{}"{}>', widget["name"], html_attrs(widget["attrs"]))]
        for group_name, options, _index in widget["optgroups"]:
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            parts.extend(
                format_html(
                    '<option value="{}"{}>{}</option>',
                    str(option["value"]),
                    html_attrs(option["attrs"]),
                    option["label"],
                )
                for option in options
            )
            if group_name:
                parts.append(mark_safe("</optgroup>"))
        parts.append(mark_safe("</select>"))
        return mark_safe("".join(parts))  # noqa: S308 - every part was escaped by format_html


class Select(PythonSelectMixin, forms.Select):
    pass


class SelectMultiple(PythonSelectMixin, forms.SelectMultiple):
    pass


FASTER = {forms.Select: Select, forms.SelectMultiple: SelectMultiple}


def use_python_selects(form: forms.BaseForm) -> None:
    """Give the form's plain select fields the widgets above (same attributes, same choices)."""
    for field in form.fields.values():
        faster = FASTER.get(type(field.widget))
        if faster is not None:
            field.widget.__class__ = faster
