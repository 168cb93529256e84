"""Form markup written in Python for pages with many fields.

{% form_field field %} is helpdesk/_field.html; {% checklist field %} is the inbox's loop over
a CheckboxSelectMultiple's options.

The ticket page shows sixteen fields; including the template for each was a tenth of what was
left of its rendering time. The markup is the template's, whitespace included (the tests
compare the two for every kind of field and with errors); other pages keep the include.
"""

from django import template
from django.utils.html import conditional_escape
from django.utils.safestring import mark_safe

from helpdesk.widgets import _escape, input_html

register = template.Library()


@register.simple_tag
def form_field(field):
    required = field.field.required
    errors = field.errors
    classes = (" field-error" if errors else "") + (" field-required" if required else "")
    label = _escape(field.label)
    if field.widget_type == "checkbox":
        body = f'\n    <label class="checkbox">{field} {label}</label>\n  '
    else:
        star = ' <span aria-hidden="true">*</span>' if required else ""
        body = (
            f'\n    <label for="{_escape(field.id_for_label)}">{label}{star}</label>'
            f"\n    {field}\n  "
        )
    auto_id = _escape(field.auto_id)
    help_text = field.help_text
    if callable(help_text):  # as the template does (the attachments' limits are a function)
        help_text = help_text()
    help_html = (
        f'<p class="help" id="{auto_id}_helptext">{_escape(help_text)}</p>' if help_text else ""
    )
    error_html = f'<div class="errors" id="{auto_id}_error">{errors}</div>' if errors else ""
    return mark_safe(  # noqa: S308 - labels, ids and help are escaped; field and errors are safe
        f'\n<div class="field{classes}">\n  {body}\n  {help_html}\n  {error_html}\n</div>\n'
    )


@register.simple_tag
def checklist(field):
    """`{% for choice in field %}<label>{{ choice.tag }} {{ choice.choice_label }}</label>{% endfor %}`

    The same markup (the tests compare the two), without a template render and an option
    dictionary per checkbox: the inbox's filters have a hundred of them, a sixth of its CPU.
    Ids, checked state and attributes are worked out as BoundField.subwidgets and
    ChoiceWidget.create_option do.
    """
    widget = field.field.widget
    if not widget.allow_multiple_selected or any(
        isinstance(label, list | tuple) for _value, label in widget.choices
    ):  # radio buttons and grouped options: Django's own rules, through its templates
        return mark_safe(  # noqa: S308 - the tags are Django's, the labels escaped here
            "".join(f"<label>{w.tag()} {conditional_escape(w.choice_label)}</label>" for w in field)
        )
    id_ = widget.attrs.get("id") or field.auto_id
    attrs = widget.build_attrs(widget.attrs, field.build_widget_attrs({"id": id_} if id_ else {}))
    chosen = set(widget.format_value(field.value()))
    parts = []
    for index, (value, label) in enumerate(widget.choices):
        value = "" if value is None else value
        option = dict(attrs)
        if str(value) in chosen:
            option.update(widget.checked_attribute)
        if "id" in option:
            option["id"] = widget.id_for_label(option["id"], str(index))
        box = input_html(
            {"type": widget.input_type, "name": field.html_name, "value": value, "attrs": option}
        )
        parts.append(f"<label>{box} {_escape(label)}</label>")
    return mark_safe("".join(parts))  # noqa: S308 - input_html and _escape escape every part
