"""The ticket page and its actions. Each action validates a form, calls one service, redirects."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from helpdesk.answer.views import panel_context
from helpdesk.forms import AssignForm, ClassifyForm, MergeForm, NoteForm, ReplyForm, StatusForm
from helpdesk.models import Attachment
from helpdesk.privacy.audit import AuditAction, audit_record
from helpdesk.selectors.access import can_view_ticket, ticket_for
from helpdesk.selectors.lists import coded_lists
from helpdesk.selectors.parts import ticket_parts
from helpdesk.selectors.timeline import ticket_timeline
from helpdesk.services import delivery
from helpdesk.services import tickets as services

from .decorators import ticket_worker_required


def _page(request, ticket, status=None, lists=None, **bound_forms):
    lists = lists or coded_lists()
    forms = {
        "reply_form": ReplyForm(ticket=ticket),
        "note_form": NoteForm(),
        "status_form": StatusForm(
            initial={"status": ticket.status, "outcome": ticket.outcome_id}, lists=lists
        ),
        "assign_form": AssignForm(
            ticket=ticket, initial={"assignee": ticket.assignee_id}, lists=lists
        ),
        "classify_form": ClassifyForm(ticket=ticket, lists=lists),
        "merge_form": MergeForm(),
    }
    forms.update(bound_forms)
    parts = ticket_parts(ticket)
    timeline = ticket_timeline(ticket, parts=parts, lists=lists)
    conversation = [entry.message for entry in timeline if entry.message is not None]
    context = {
        "ticket": ticket,
        "ticket_parts": parts,  # the phone card reads its calls only if there are some
        "timeline": timeline,
        **forms,
        **panel_context(request, ticket, forms["reply_form"], lists, conversation, parts),
    }
    if status is None:
        status = 400 if bound_forms else 200
    return render(request, "helpdesk/ticket.html", context, status=status)


def _done(request, ticket, text):
    messages.success(request, text)
    return redirect("helpdesk:ticket", reference=ticket.reference)


@ticket_worker_required
def ticket_detail(request, reference):
    lists = coded_lists()
    ticket = ticket_for(request.user, reference, lists=lists)
    if ticket.merged_into_id and not request.GET.get("stay"):
        messages.info(
            request,
            _("%(old)s was merged into %(new)s.")
            % {"old": ticket.reference, "new": ticket.merged_into.reference},
        )
        if can_view_ticket(request.user, ticket.merged_into):
            return redirect("helpdesk:ticket", reference=ticket.merged_into.reference)
    audit_record(actor=request.user, action=AuditAction.TICKET_VIEW, target=ticket)
    return _page(request, ticket, lists=lists)


def _act(request, reference, form_class, form_name, action, *, form_kwargs=None):
    """Validate `form_class` from POST, run `action(ticket, cleaned_data)`, or show the errors."""
    ticket = ticket_for(request.user, reference)
    form = form_class(request.POST, request.FILES, **(form_kwargs(ticket) if form_kwargs else {}))
    if form.is_valid():
        try:
            text = action(ticket, form.cleaned_data)
        except ValidationError as error:
            for text in error.messages:
                form.add_error(None, text)
        else:
            return _done(request, ticket, text)
    return _page(request, ticket, **{form_name: form})


@require_POST
@ticket_worker_required
def ticket_reply(request, reference):
    def action(ticket, data):
        message = services.ticket_reply(
            ticket=ticket,
            author=request.user,
            body=data["body"],
            channel=data["send_by"],
            status=data["status"],
            attachments=data["attachments"],
            articles=data["articles"],
        )
        if message.status == "recorded":
            return _("The answer was recorded.")
        return _("The answer is on its way.")

    return _act(
        request, reference, ReplyForm, "reply_form", action, form_kwargs=lambda t: {"ticket": t}
    )


@require_POST
@ticket_worker_required
def ticket_note(request, reference):
    def action(ticket, data):
        services.ticket_add_note(ticket=ticket, author=request.user, body=data["body"])
        return _("Note added.")

    return _act(request, reference, NoteForm, "note_form", action)


@require_POST
@ticket_worker_required
def ticket_status(request, reference):
    def action(ticket, data):
        if data["outcome"] and data["outcome"].pk != ticket.outcome_id:
            services.ticket_classify(ticket=ticket, actor=request.user, outcome=data["outcome"])
        services.ticket_change_status(ticket=ticket, actor=request.user, status=data["status"])
        return _("Status changed.")

    return _act(request, reference, StatusForm, "status_form", action)


@require_POST
@ticket_worker_required
def ticket_assign(request, reference):
    def action(ticket, data):
        services.ticket_assign(ticket=ticket, actor=request.user, assignee=data["assignee"])
        return _("Assignee changed.")

    return _act(
        request, reference, AssignForm, "assign_form", action, form_kwargs=lambda t: {"ticket": t}
    )


@require_POST
@ticket_worker_required
def ticket_classify(request, reference):
    def action(ticket, data):
        services.ticket_classify(
            ticket=ticket,
            actor=request.user,
            topics=data["topics"],
            requester_type=data["requester_type"],
            language=data["language"],
            outcome=data["outcome"],
            referral=data["referral"],
            priority=data["priority"],
            policy_signal=data["policy_signal"],
        )
        services.ticket_move(ticket=ticket, actor=request.user, queue=data["queue"])
        return _("Ticket updated.")

    return _act(
        request,
        reference,
        ClassifyForm,
        "classify_form",
        action,
        form_kwargs=lambda t: {"ticket": t},
    )


@require_POST
@ticket_worker_required
def ticket_merge(request, reference):
    def action(ticket, data):
        try:
            duplicate = ticket_for(request.user, data["reference"].strip().upper())
        except Http404:
            raise ValidationError(_("No ticket %(reference)s in your queues.") % data) from None
        services.ticket_merge(source=duplicate, target=ticket, actor=request.user)
        return _("%(reference)s was merged into this ticket.") % {"reference": duplicate.reference}

    return _act(request, reference, MergeForm, "merge_form", action)


@require_POST
@ticket_worker_required
def ticket_reset_link(request, reference):
    """Revoke the requester's private link (it reached the wrong person, or was shared)."""
    ticket = ticket_for(request.user, reference)
    services.ticket_reset_access_token(ticket=ticket, actor=request.user)
    return _done(
        request,
        ticket,
        _(
            "The old private link no longer works. Our next message to the requester carries the new one."
        ),
    )


@require_POST
@ticket_worker_required
def message_retry(request, reference, message_id):
    """Send a failed answer again (the Retry button next to it)."""
    ticket = ticket_for(request.user, reference)
    message = get_object_or_404(ticket.messages, pk=message_id)
    try:
        delivery.message_retry_delivery(message=message, actor=request.user)
    except ValidationError as error:
        for text in error.messages:
            messages.error(request, text)
        return redirect("helpdesk:ticket", reference=ticket.reference)
    return _done(request, ticket, _("The answer is on its way again."))


@ticket_worker_required
def attachment_download(request, pk):
    attachment = get_object_or_404(Attachment.objects.select_related("message__ticket"), pk=pk)
    if not can_view_ticket(request.user, attachment.message.ticket) or not attachment.file:
        raise Http404
    audit_record(
        actor=request.user,
        action=AuditAction.ATTACHMENT_DOWNLOAD,
        target=attachment.message.ticket,
        details={"attachment": attachment.pk},
    )
    # Always a download with the stored (safe) type: an uploaded file never runs in our origin.
    return FileResponse(
        attachment.file.open("rb"),
        as_attachment=True,
        filename=attachment.filename,
        content_type=attachment.content_type,
    )
