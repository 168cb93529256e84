"""The ticket page's widgets write the same HTML as Django's templates, only faster."""

import re

import pytest
from django import forms
from django.template import Context, Template

from helpdesk.forms import ClassifyForm, MultipleFileField, StatusForm
from helpdesk.widgets import Select, SelectMultiple, use_python_widgets

pytestmark = pytest.mark.django_db


def tags(html: str) -> str:
    """The markup without the newlines and indentation Django's templates put between tags."""
    return re.sub(r">\s+<", "><", html).strip()


class Sample(forms.Form):
    plain = forms.ChoiceField(
        choices=[("", "---"), ("a", "Café & <b>bar</b>"), ("b", 'say "hi"')],
        widget=forms.Select(attrs={"autofocus": True, "data-x": "1", "hidden": False}),
    )
    grouped = forms.ChoiceField(
        choices=[("Group <1>", [("1", "one"), ("2", "two")]), ("3", "three")]
    )
    many = forms.MultipleChoiceField(choices=[(1, "ا"), (2, "ب"), (3, "پ")], required=False)
    radio = forms.ChoiceField(choices=[("x", "X")], widget=forms.RadioSelect)


@pytest.mark.parametrize("data", [None, {"plain": "a", "grouped": "2", "many": ["1", "3"]}])
def test_python_selects_write_exactly_what_djangos_templates_write(data):
    django_html = {bf.name: tags(str(bf)) for bf in Sample(data=data)}
    form = Sample(data=data)
    use_python_widgets(form)
    assert type(form.fields["plain"].widget) is Select
    assert type(form.fields["many"].widget) is SelectMultiple
    assert type(form.fields["radio"].widget) is forms.RadioSelect  # left as it was
    ours = {bf.name: tags(str(bf)) for bf in form}
    assert ours == django_html
    assert "Café &amp; &lt;b&gt;bar&lt;/b&gt;" in ours["plain"]


def test_the_ticket_page_forms_use_them_and_render_the_same_lists(ines, infolijn):
    from helpdesk.models import Channel
    from helpdesk.services.tickets import ticket_create

    ticket = ticket_create(queue=infolijn, channel=Channel.PHONE, body="Dublin?")
    form = ClassifyForm(ticket=ticket)
    assert type(form.fields["topics"].widget) is SelectMultiple
    assert type(form.fields["language"].widget) is Select
    rendered = str(form["topics"])
    assert rendered.startswith('<select name="topics"')
    assert rendered.count("<option") > 10
    assert 'name="status"' in str(StatusForm()["status"])


class Inputs(forms.Form):
    text = forms.CharField(max_length=20, help_text="with help", label="Text & more")
    optional = forms.CharField(required=False, widget=forms.TextInput(attrs={"data-x": None}))
    area = forms.CharField(widget=forms.Textarea(attrs={"rows": 3, "dir": "auto"}))
    empty_area = forms.CharField(widget=forms.Textarea, required=False)
    flag = forms.BooleanField(required=False)
    files = MultipleFileField(label="Files")
    one_file = forms.FileField(required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {"text": 'a "quoted" <b>value</b> & more', "area": "line 1\n<script>x</script>"},
        {"text": "", "flag": "on", "area": ""},
    ],
)
def test_python_inputs_write_exactly_what_djangos_templates_write(data):
    django_html = {bf.name: str(bf) for bf in Inputs(data=data, files={} if data else None)}
    form = Inputs(data=data, files={} if data else None)
    use_python_widgets(form)
    for name in ("text", "optional", "area", "empty_area", "flag", "one_file"):
        assert type(form.fields[name].widget).__module__ == "helpdesk.widgets", name
    ours = {bf.name: str(bf) for bf in form}
    assert ours == django_html
    if data and data["area"]:
        assert "&lt;script&gt;x&lt;/script&gt;" in ours["area"]


@pytest.mark.parametrize(
    "data",
    [None, {"text": "<b>x</b>", "flag": "on"}, {"text": "much too long for twenty", "area": ""}],
)
def test_the_form_field_tag_writes_exactly_what_the_field_template_writes(data, ines):
    from django.template import Context, Template
    from django.template.loader import render_to_string

    from helpdesk.models import Channel
    from helpdesk.services.tickets import ticket_create
    from helpdesk.templatetags.helpdesk_forms import form_field

    ticket = ticket_create(queue=ines.queues.first(), channel=Channel.PHONE, body="Dublin?")
    forms_ = [Inputs(data=data, files={} if data else None), ClassifyForm(ticket=ticket)]
    use_python_widgets(forms_[0])
    for form in forms_:
        form.is_valid() if form.is_bound else None
        for field in form:
            expected = render_to_string("helpdesk/_field.html", {"field": field})
            assert form_field(field) == expected, field.name
    tag = Template("{% load helpdesk_forms %}{% form_field field %}")
    field = forms_[0]["text"]
    assert tag.render(Context({"field": field})) == render_to_string(
        "helpdesk/_field.html", {"field": field}
    )


LOOP = Template(
    "{% for choice in field %}<label>{{ choice.tag }} {{ choice.choice_label }}</label>{% endfor %}"
)


class Checks(forms.Form):
    letters = forms.MultipleChoiceField(
        choices=[("a", "Café & <b>bar</b>"), ("b", 'say "hi"'), ("", "empty")],
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"data-x": "1"}),
    )
    helped = forms.MultipleChoiceField(
        choices=[(1, "ا"), (2, "ب")], widget=forms.CheckboxSelectMultiple, help_text="help"
    )


@pytest.mark.parametrize(
    ("form_data", "filters"),
    [
        (None, {}),
        ({"letters": ["a", ""], "helped": ["2"]}, {}),
        ({"helped": ["9"]}, {}),  # an error on the field
        (None, {"status": ["open", "closed"], "topic": ["dublin", "housing"], "language": "ar"}),
    ],
)
def test_the_checklist_tag_writes_exactly_what_the_template_loop_writes(form_data, filters, ines):
    from django.http import QueryDict

    from helpdesk.forms import LISTED_FILTERS, InboxFilterForm
    from helpdesk.models import Language, Topic
    from helpdesk.selectors.lists import coded_lists
    from helpdesk.templatetags.helpdesk_forms import checklist

    query = QueryDict(mutable=True)
    for name, value in filters.items():
        if name == "topic":
            value = [str(t.pk) for t in Topic.objects.filter(code__in=value)]
        query.setlist(name, value if isinstance(value, list) else [value])
    forms_ = [
        Checks(data=form_data),
        InboxFilterForm(query, user=ines),  # Django's choices, from the querysets
        InboxFilterForm(query, user=ines, lists=coded_lists()),  # the cached lists'
    ]
    for form in forms_:
        form.is_valid() if form.is_bound else None
        for field in form:
            if isinstance(field.field.widget, forms.CheckboxSelectMultiple):
                assert checklist(field) == LOOP.render(Context({"field": field})), field.name
    cached = forms_[2]
    for name in LISTED_FILTERS:  # the cached lists show what the querysets would
        assert checklist(cached[name]) == LOOP.render(Context({"field": forms_[1][name]})), name
    if filters:
        assert f'value="{Language.objects.get(code="ar").pk}" id="id_language_' in checklist(
            cached["language"]
        )
        assert " checked>" in checklist(cached["topic"])


def test_the_checklist_tag_leaves_radio_buttons_and_groups_to_django():
    from helpdesk.templatetags.helpdesk_forms import checklist

    class Other(forms.Form):
        radio = forms.ChoiceField(choices=[("a", "A"), ("b", "<b>")], widget=forms.RadioSelect)
        grouped = forms.MultipleChoiceField(
            choices=[("G", [("1", "one"), ("2", "two")])], widget=forms.CheckboxSelectMultiple
        )

    form = Other(data={"radio": "b", "grouped": ["2"]})
    for field in form:
        assert checklist(field) == LOOP.render(Context({"field": field})), field.name
