"""Choice widgets that write their options in Python instead of one template include per option.

Django renders every <option> (and every checkbox of a CheckboxSelectMultiple) through its own
template include; on the ticket page, with its six forms and the lists of topics, languages,
outcomes, referral organisations, queues and staff, that was a third of the page's CPU time
(measured with pyinstrument, docs/benchmarks.md). These widgets give the same HTML as Django's
templates (the tests compare the two), escaped with format_html.
"""

from django import forms
from django.utils.html import conditional_escape, escape, format_html, format_html_join
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
    """For Select and SelectMultiple: the markup of django/forms/widgets/select.html.

    The options are written straight from `choices`, without Django's optgroups and
    create_option dictionaries (a dict and an attrs copy per option, another fifth of the
    page); the choice of what is selected is Django's own (ChoiceWidget.optgroups).
    """

    def render(self, name, value, attrs=None, renderer=None):
        widget = forms.Widget.get_context(self, name, value, attrs)["widget"]
        multiple = self.allow_multiple_selected
        if multiple:
            widget["attrs"]["multiple"] = True
        chosen = set(widget["value"])
        parts = [format_html('<select name="{}"{}>', widget["name"], html_attrs(widget["attrs"]))]
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, list | tuple):
                group_name, options = option_value, option_label
            else:
                group_name, options = None, ((option_value, option_label),)
            if group_name:
                parts.append(format_html('<optgroup label="{}">', group_name))
            for subvalue, sublabel in options:
                text = str(subvalue)
                selected = (not has_selected or multiple) and text in chosen
                has_selected |= selected
                parts.append(
                    f'<option value="{escape(text)}"{" selected" if selected else ""}>'
                    f"{conditional_escape(sublabel)}</option>"
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above


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
