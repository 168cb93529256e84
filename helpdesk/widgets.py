"""Widgets that write their HTML in Python instead of through Django's widget templates.

Django renders every <option> (and every checkbox of a CheckboxSelectMultiple) through its own
template include; on the ticket page, with its six forms and the lists of topics, languages,
outcomes, referral organisations, queues and staff, that was a third of the page's CPU time
(measured with pyinstrument, docs/benchmarks.md). The text boxes, checkboxes and file inputs
went through three templates each (input.html, attrs.html and the widget's own), another
tenth of the page once the options were fast. These widgets give the same HTML as Django's
templates (the tests compare the two, character for character), escaped as they escape.
"""

import html

from django import forms
from django.utils.safestring import mark_safe


def _escape(value) -> str:
    """conditional_escape without its lazy-string wrapper (which looks at every argument for a
    lazy string, to return one), for the hundreds of options, attributes and labels of a page:
    safe text as it is, anything else (lazy text too) through the same html.escape Django uses."""
    if hasattr(value, "__html__"):
        return value.__html__()
    return html.escape(str(value))


def html_attrs(attrs: dict) -> str:
    """As django/forms/widgets/attrs.html: True is a bare name, False is left out, anything
    else (None too, as Django writes it) is name="value"."""
    return mark_safe(  # noqa: S308 - every name and value is escaped
        "".join(
            f" {_escape(name)}" if value is True else f' {_escape(name)}="{_escape(value)}"'
            for name, value in attrs.items()
            if value is not False
        )
    )


def input_html(widget: dict) -> str:
    """django/forms/widgets/input.html for the context Django builds (`get_context`)."""
    value = widget["value"]
    shown = "" if value is None else f' value="{_escape(value)}"'
    return (
        f'<input type="{_escape(widget["type"])}" name="{_escape(widget["name"])}"{shown}'
        f"{html_attrs(widget['attrs'])}>"
    )


class PythonInputMixin:
    """For inputs whose template is input.html (text.html, checkbox.html... include it and add
    a newline, as the file does)."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        return mark_safe(input_html(widget))  # noqa: S308 - escaped in input_html


class TextInput(PythonInputMixin, forms.TextInput):
    pass


class CheckboxInput(PythonInputMixin, forms.CheckboxInput):
    pass


class PythonClearableFileInputMixin:
    """clearable_file_input.html without a current file (always so on a form that uploads new
    files); with one, Django's template as before."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        if widget["is_initial"]:
            return super().render(name, value, attrs, renderer)
        return mark_safe(input_html(widget))  # noqa: S308 - escaped in input_html


class ClearableFileInput(PythonClearableFileInputMixin, forms.ClearableFileInput):
    pass


class Textarea(forms.Textarea):
    """django/forms/widgets/textarea.html."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        text = _escape(widget["value"]) if widget["value"] else ""
        return mark_safe(  # noqa: S308 - name, attributes and text are escaped
            f'<textarea name="{_escape(name)}"{html_attrs(widget["attrs"])}>\n{text}</textarea>'
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
        parts = [f'<select name="{_escape(widget["name"])}"{html_attrs(widget["attrs"])}>']
        has_selected = False
        for option_value, option_label in self.choices:
            if option_value is None:
                option_value = ""
            if isinstance(option_label, list | tuple):
                group_name, options = option_value, option_label
            else:
                group_name, options = None, ((option_value, option_label),)
            if group_name:
                parts.append(f'<optgroup label="{_escape(group_name)}">')
            for subvalue, sublabel in options:
                text = str(subvalue)
                selected = (not has_selected or multiple) and text in chosen
                has_selected |= selected
                parts.append(
                    f'<option value="{_escape(text)}"{" selected" if selected else ""}>'
                    f"{_escape(sublabel)}</option>"
                )
            if group_name:
                parts.append("</optgroup>")
        parts.append("</select>")
        return mark_safe("".join(parts))  # noqa: S308 - every value and label is escaped above


class Select(PythonSelectMixin, forms.Select):
    pass


class SelectMultiple(PythonSelectMixin, forms.SelectMultiple):
    pass


FASTER = {
    forms.Select: Select,
    forms.SelectMultiple: SelectMultiple,
    forms.TextInput: TextInput,
    forms.CheckboxInput: CheckboxInput,
    forms.ClearableFileInput: ClearableFileInput,
    forms.Textarea: Textarea,
}


def use_python_widgets(form: forms.BaseForm) -> None:
    """Give the form's plain widgets the ones above (same attributes, same choices). Only these
    exact classes: a subclass may have its own template."""
    for field in form.fields.values():
        faster = FASTER.get(type(field.widget))
        if faster is not None:
            field.widget.__class__ = faster
