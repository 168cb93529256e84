"""Forms of the staff pages: they validate input and hand it to the services, nothing more."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import format_lazy
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from helpdesk.channels.registry import outbound_channels_for
from helpdesk.models import (
    Channel,
    Language,
    Outcome,
    Priority,
    Queue,
    ReferralOrganisation,
    RequesterType,
    Status,
    Topic,
    User,
)
from helpdesk.selectors.access import queue_ids_for, queues_for
from helpdesk.selectors.inbox import DEFAULT_SORT, SORTS, InboxFilters
from helpdesk.selectors.lists import CodedLists, coded_lists, queue_assignees, ticket_topic_ids
from helpdesk.services.attachments import IncomingFile, attachment_limits_text, validate_incoming
from helpdesk.services.calls import PHONE_LIKE
from helpdesk.services.contacts import normalise_phone
from helpdesk.widgets import PythonClearableFileInputMixin, use_python_widgets
from knowledgebase.models import Article, Visibility

PRIVACY_HINT = _(
    "Write what is needed to answer. Do not record the person's asylum story, religion, "
    "politics, sexuality or health unless the answer depends on it."
)


class MultipleFileInput(PythonClearableFileInputMixin, forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked against the attachment limits."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput())
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", attachment_limits_text)
        super().__init__(*args, **kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else ([data] if data else [])
        files, errors = [], []
        for upload in uploads:
            try:
                incoming = IncomingFile.from_upload(super().clean(upload))
                validate_incoming(incoming)
            except ValidationError as error:
                errors.extend(error.messages)
            else:
                files.append(incoming)
        if errors:
            raise ValidationError(errors)
        return files


CHECKBOXES = forms.CheckboxSelectMultiple
BIGINT = range(-(2**63), 2**63)


class ModelMultipleChoiceField(forms.ModelMultipleChoiceField):
    """Django's field, refusing ids that no integer column holds before it asks the database.

    Django looks the chosen ids up with `pk__in`, and SQLite raises OverflowError on an integer
    past 64 bits ("?queue=99999999999999999999" gave a server error, found by
    tests/privacy/test_bad_input.py); now it is the field's usual "not a valid value".
    """

    def _check_values(self, value):
        for pk in value or ():
            try:
                number = int(str(pk))
            except ValueError:
                continue  # not a number: Django's own check reports it
            if number not in BIGINT:
                raise ValidationError(
                    self.error_messages["invalid_pk_value"],
                    code="invalid_pk_value",
                    params={"pk": pk},
                )
        return super()._check_values(value)


class ListedChoices(forms.models.ModelChoiceIterator):
    """The choices read with one ordinary query.

    Django reads them with QuerySet.iterator(), which on PostgreSQL is a server-side cursor
    (DECLARE, FETCH, CLOSE: three round trips and about a millisecond of CPU), meant for lists too
    long to hold in memory; ours are a queue's few dozen members.
    """

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class ModelChoiceField(forms.ModelChoiceField):
    iterator = ListedChoices


LISTED_FILTERS = {
    "queue": Queue,
    "language": Language,
    "topic": Topic,
    "requester_type": RequesterType,
}


class InboxFilterForm(forms.Form):
    """The inbox's filters. Everything is a GET parameter, so any view can be bookmarked."""

    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    queue = ModelMultipleChoiceField(
        label=_("Queue"), queryset=Queue.objects.none(), required=False, widget=CHECKBOXES
    )
    status = forms.MultipleChoiceField(
        label=_("Status"), choices=Status.choices, required=False, widget=CHECKBOXES
    )
    assignee = forms.ChoiceField(label=_("Assignee"), required=False)
    channel = forms.MultipleChoiceField(
        label=_("Channel"), choices=Channel.choices, required=False, widget=CHECKBOXES
    )
    language = ModelMultipleChoiceField(
        label=_("Language"), queryset=Language.objects.all(), required=False, widget=CHECKBOXES
    )
    topic = ModelMultipleChoiceField(
        label=_("Topic"), queryset=Topic.objects.all(), required=False, widget=CHECKBOXES
    )
    requester_type = ModelMultipleChoiceField(
        label=_("Requester type"),
        queryset=RequesterType.objects.all(),
        required=False,
        widget=CHECKBOXES,
    )
    sort = forms.ChoiceField(
        label=pgettext_lazy("inbox order", "Sort by"),
        required=False,
        choices=[
            ("-updated", _("Latest activity")),
            ("updated", _("Oldest activity")),
            ("-created", _("Newest first")),
            ("created", _("Oldest first")),
            ("-priority", _("Highest priority first")),
            ("reference", _("By reference")),
        ],
    )

    def __init__(self, data, *, user, lists: CodedLists | None = None):
        # No status chosen means the open work: new, open and waiting.
        if "status" not in data and not data.get("q"):
            data = data.copy()
            data.setlist("status", list(Status.values[:3]))
        super().__init__(data)
        self.user = user
        self.fields["queue"].queryset = queues_for(user)
        if lists is not None:
            # Shown from the cached lists, retired entries too (old tickets keep them); the
            # querysets still check what comes back.
            mine = {str(pk) for pk in queue_ids_for(user)}
            for name, model in LISTED_FILTERS.items():
                self.fields[name].widget.choices = [
                    (e.value, e.label)
                    for e in lists.entries(model)
                    if model is not Queue or e.value in mine
                ]
        members = User.objects.filter(queues__in=queues_for(user), is_active=True).distinct()
        self.fields["assignee"].choices = [
            ("", pgettext_lazy("assignee", "Anyone")),
            ("me", pgettext_lazy("assignee", "Me")),
            ("none", pgettext_lazy("assignee", "Nobody")),
            *((str(u.pk), str(u)) for u in members.order_by("first_name", "username")),
        ]

    def filters(self) -> InboxFilters:
        if not self.is_valid():
            return InboxFilters(statuses=list(Status.values[:3]))
        data = self.cleaned_data
        return InboxFilters(
            queues=[q.pk for q in data["queue"]],
            statuses=data["status"],
            assignee=data["assignee"],
            channels=data["channel"],
            languages=[lang.pk for lang in data["language"]],
            topics=[t.pk for t in data["topic"]],
            requester_types=[r.pk for r in data["requester_type"]],
            q=data["q"],
            sort=data["sort"] if data["sort"] in SORTS else DEFAULT_SORT,
        )


def show_cached_choices(field, lists: CodedLists, model, *, keep=()) -> None:
    """Render `field`'s options from the cached `lists` (the same values, labels and order as
    its queryset's active entries plus `keep`), so showing the form queries nothing."""
    field.widget.choices = lists.choices(
        model, empty_label=getattr(field, "empty_label", None), keep=keep
    )


class TicketPageForm(forms.Form):
    """One of several forms on the ticket page: ids are prefixed so two "status" fields never clash."""

    id_prefix = ""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("auto_id", f"{self.id_prefix}_%s")
        super().__init__(*args, **kwargs)
        use_python_widgets(self)  # the page has six forms: widgets without templates


class ReplyForm(TicketPageForm):
    id_prefix = "reply"

    body = forms.CharField(
        label=_("Answer"),
        widget=forms.Textarea(attrs={"rows": 6}),
        required=False,
        help_text=PRIVACY_HINT,
    )
    send_by = forms.ChoiceField(label=_("Send by"), required=False)
    status = forms.ChoiceField(
        label=pgettext_lazy("what happens to the ticket after the answer", "Then"),
        choices=[
            (Status.ANSWERED, _("Mark as answered")),
            (Status.WAITING, _("Wait for the requester")),
            (Status.CLOSED, _("Close the ticket")),
        ],
        initial=Status.ANSWERED,
    )
    attachments = MultipleFileField(label=_("Attachments"))
    # The knowledge-base articles used in this answer (the composer lists them as checkboxes);
    # the queryset, for a posted form only (see ClassifyForm).
    articles = ModelMultipleChoiceField(
        label=_("Articles used in this answer"),
        queryset=None,
        to_field_name="slug",
        required=False,
        widget=forms.MultipleHiddenInput,
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.fields["articles"].queryset = Article.objects.exclude(
                visibility=Visibility.DRAFT
            ).defer(*(f"body_{code}" for code, _name in settings.LANGUAGES))
        channels = outbound_channels_for(ticket)
        self.fields["send_by"].choices = [
            *((c.code, c.label) for c in channels),
            ("", _("Do not send: record an answer given by phone or in person")),
        ]
        self.fields["send_by"].initial = channels[0].code if channels else ""


class NoteForm(TicketPageForm):
    id_prefix = "note"

    body = forms.CharField(
        label=_("Internal note"),
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=format_lazy(
            "{} {}", _("Seen by staff only, never by the requester."), PRIVACY_HINT
        ),
    )


class StatusForm(TicketPageForm):
    id_prefix = "status"

    status = forms.ChoiceField(label=_("Status"), choices=Status.choices)
    # The queryset only for a posted form (see ClassifyForm); a shown one uses the cached list.
    outcome = forms.ModelChoiceField(label=_("Outcome"), queryset=None, required=False)

    def __init__(self, *args, lists: CodedLists | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        if self.is_bound:
            self.fields["outcome"].queryset = Outcome.objects.active()
        show_cached_choices(self.fields["outcome"], lists or coded_lists(), Outcome)


class AssignForm(TicketPageForm):
    id_prefix = "assign"

    assignee = ModelChoiceField(label=_("Assignee"), queryset=None, required=False)

    def __init__(self, *args, ticket, lists: CodedLists | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        field = self.fields["assignee"]
        field.empty_label = pgettext_lazy("assignee", "Nobody")
        if self.is_bound or lists is None:
            # Whole rows: the chosen one is checked (is_active, permissions) when assigning, and
            # narrowing the columns saved nothing measurable (0.87 ms either way).
            field.queryset = queue_assignees(ticket.queue_id)
        if lists is not None:  # shown from the cache (lists.assignees); a posted form's
            # queryset checks what comes back, as ClassifyForm's do
            field.widget.choices = [("", field.empty_label), *lists.assignees(ticket.queue_id)]


class ClassifyForm(TicketPageForm):
    """What the ticket is about and how it ended; retired entries stay only where they are set.

    The lists' querysets are made in __init__ for a posted form only: Django copies a field's
    queryset for every form made, and a form that is only shown takes its options from the
    cached lists.
    """

    id_prefix = "classify"

    queue = forms.ModelChoiceField(label=_("Queue"), queryset=None)
    topics = ModelMultipleChoiceField(label=_("Topics"), queryset=None, required=False)
    requester_type = forms.ModelChoiceField(
        label=_("Requester type"), queryset=None, required=False
    )
    language = forms.ModelChoiceField(label=_("Language"), queryset=None, required=False)
    outcome = forms.ModelChoiceField(label=_("Outcome"), queryset=None, required=False)
    referral = forms.ModelChoiceField(label=_("Referred to"), queryset=None, required=False)
    priority = forms.TypedChoiceField(label=_("Priority"), choices=Priority.choices, coerce=int)
    policy_signal = forms.BooleanField(
        label=_("Policy signal"),
        required=False,
        help_text=_("A pattern worth raising with government."),
    )

    def __init__(self, *args, ticket, lists: CodedLists | None = None, **kwargs):
        super().__init__(*args, **kwargs)
        lists = lists or coded_lists()
        topic_ids = ticket_topic_ids(ticket)
        current = {
            "queue": (Queue, [ticket.queue_id]),
            "topics": (Topic, topic_ids),
            "requester_type": (RequesterType, [ticket.requester_type_id]),
            "language": (Language, [ticket.language_id]),
            "outcome": (Outcome, [ticket.outcome_id]),
            "referral": (ReferralOrganisation, [ticket.referral_id]),
        }
        for name, (model, current_ids) in current.items():
            # The options shown come from the cached lists; the queryset, which validates what
            # is posted, is built only for a posted form (building six costs a shown page ~1 ms).
            if self.is_bound:
                self.fields[name].queryset = model.objects.filter(
                    Q(is_active=True) | Q(pk__in=current_ids)
                )
            show_cached_choices(self.fields[name], lists, model, keep=current_ids)
        if not self.is_bound:
            self.initial.update(
                queue=ticket.queue_id,
                topics=topic_ids,
                requester_type=ticket.requester_type_id,
                language=ticket.language_id,
                outcome=ticket.outcome_id,
                referral=ticket.referral_id,
                priority=ticket.priority,
                policy_signal=ticket.policy_signal,
            )


class MergeForm(TicketPageForm):
    id_prefix = "merge"

    reference = forms.CharField(
        label=_("Merge this duplicate into the ticket"),
        max_length=20,
        help_text=_("The reference of the duplicate, for example IL-2026-000123."),
    )


class CallLogForm(forms.Form):
    """Log a call while the caller is on the line: the essentials, with defaults, by keyboard."""

    channel = forms.ChoiceField(
        label=pgettext_lazy("the channel of a logged call", "How"),
        choices=[(c.value, c.label) for c in PHONE_LIKE],
        initial=Channel.PHONE,
    )
    queue = forms.ModelChoiceField(
        label=_("Queue"), queryset=Queue.objects.none(), empty_label=None
    )
    requester_type = forms.ModelChoiceField(
        label=_("Who is asking"),
        queryset=RequesterType.objects.none(),
        required=False,
        widget=forms.Select(attrs={"autofocus": True}),
    )
    language = forms.ModelChoiceField(
        label=_("Language"), queryset=Language.objects.none(), required=False
    )
    topics = ModelMultipleChoiceField(
        label=_("Topic"), queryset=Topic.objects.none(), required=False
    )
    question = forms.CharField(
        label=_("Question"), widget=forms.Textarea(attrs={"rows": 3}), help_text=PRIVACY_HINT
    )
    answer = forms.CharField(
        label=_("Answer given"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
        help_text=_("What you told them: the information, the referral, the next step."),
    )
    outcome = forms.ModelChoiceField(
        label=_("Outcome"), queryset=Outcome.objects.none(), required=False
    )
    referral = forms.ModelChoiceField(
        label=_("Referred to"), queryset=ReferralOrganisation.objects.none(), required=False
    )
    policy_signal = forms.BooleanField(label=_("Policy signal"), required=False)
    name = forms.CharField(
        label=_("Name"), required=False, max_length=200, help_text=_("Only if needed to call back.")
    )
    phone = forms.CharField(
        label=_("Phone number"),
        required=False,
        max_length=30,
        help_text=_("Only if needed to call back."),
    )

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = queues_for(user).filter(is_active=True)
        self.fields["requester_type"].queryset = RequesterType.objects.active()
        self.fields["language"].queryset = Language.objects.active()
        self.fields["topics"].queryset = Topic.objects.active()
        self.fields["outcome"].queryset = Outcome.objects.active()
        self.fields["referral"].queryset = ReferralOrganisation.objects.active()
        if not self.is_bound:
            # Sensible defaults: the first queue, the staff member's first language, "information given".
            queue = self.fields["queue"].queryset.first()
            language = user.spoken_languages.filter(is_active=True).order_by("position").first()
            outcome = self.fields["outcome"].queryset.filter(closes_ticket=True).first()
            self.initial.update(
                queue=queue.pk if queue else None,
                language=language.pk if language else None,
                outcome=outcome.pk if outcome else None,
            )

    def clean_phone(self):
        return normalise_phone(self.cleaned_data["phone"])

    def clean(self):
        data = super().clean()
        outcome = data.get("outcome")
        if outcome and outcome.needs_referral and not data.get("referral"):
            self.add_error("referral", _("Where was the person referred to?"))
        # A name is asked only to call back: without a number it serves nothing, so it is not kept.
        if data.get("name", "").strip() and not data.get("phone") and "phone" not in self.errors:
            self.add_error(
                "name",
                _("A name is only kept to call back: add the number, or leave the name out."),
            )
        return data
