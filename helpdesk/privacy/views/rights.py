"""A person's page for whoever handles rights requests: their data, tickets and requests, with
the forms to correct, export and erase it."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from helpdesk.models import Contact
from helpdesk.privacy.audit import AuditAction, audit_record
from helpdesk.privacy.forms import ContactSearchForm, EraseForm, ExportForm, RectifyForm
from helpdesk.privacy.selectors import contact_overview, contacts_matching
from helpdesk.privacy.services import rights as services
from helpdesk.selectors.access import can_view_ticket

from .decorators import rights_handler_required


@rights_handler_required
def contact_search(request):
    form = ContactSearchForm(request.GET)
    q = form.cleaned_data["q"] if form.is_valid() else ""
    results = contacts_matching(q) if q else []
    if q:
        # What was searched is personal data itself: the log keeps only that a search happened.
        audit_record(
            actor=request.user, action=AuditAction.CONTACT_SEARCH, details={"found": len(results)}
        )
    return render(
        request,
        "privacy/contact_search.html",
        {"form": form, "results": results, "q": q, "section": "contacts"},
    )


def _page(request, contact, status=200, **forms):
    overview = contact_overview(contact)
    for ticket in overview["own_tickets"] + overview["other_tickets"]:
        ticket.viewable = can_view_ticket(request.user, ticket)
    context = {
        "contact": contact,
        "section": "contacts",
        **overview,
        "rectify_form": RectifyForm(
            initial={
                "name": contact.name,
                "email": contact.email,
                "phone": contact.phone,
                "organisation": contact.organisation,
            }
        ),
        "export_form": ExportForm(),
        "erase_form": EraseForm(),
        **forms,
    }
    return render(request, "privacy/contact.html", context, status=status)


@rights_handler_required
def contact_detail(request, contact_id):
    contact = get_object_or_404(
        Contact.objects.select_related("requester_type", "preferred_language"), pk=contact_id
    )
    audit_record(actor=request.user, action=AuditAction.CONTACT_VIEW, target=contact)
    return _page(request, contact)


def _add_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


@require_POST
@rights_handler_required
def contact_rectify(request, contact_id):
    contact = get_object_or_404(Contact, pk=contact_id)
    form = RectifyForm(request.POST)
    if form.is_valid():
        try:
            done = services.contact_rectify(
                contact=contact, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            messages.success(
                request, _("The person's data was corrected.") if done else _("Nothing changed.")
            )
            return redirect("privacy:contact", contact_id=contact.pk)
    return _page(request, contact, status=400, rectify_form=form)


@require_POST
@rights_handler_required
def contact_export(request, contact_id):
    contact = get_object_or_404(
        Contact.objects.select_related("requester_type", "preferred_language"), pk=contact_id
    )
    form = ExportForm(request.POST)
    if form.is_valid():
        try:
            archive = services.contact_export(
                contact=contact, actor=request.user, **form.cleaned_data
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            response = FileResponse(
                archive.file,
                as_attachment=True,
                filename=archive.filename,
                content_type="application/zip",
            )
            response["Content-Length"] = str(archive.size)
            return response
    return _page(request, contact, status=400, export_form=form)


@require_POST
@rights_handler_required
def contact_erase(request, contact_id):
    contact = get_object_or_404(Contact, pk=contact_id)
    form = EraseForm(request.POST)
    if form.is_valid():
        try:
            request_record = services.contact_erase(
                contact=contact, actor=request.user, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            _add_errors(form, error)
        else:
            count = request_record.summary.get("tickets", 0)
            messages.success(
                request,
                ngettext(
                    "The person's data was erased, with %(count)d ticket. The figures stay.",
                    "The person's data was erased, with %(count)d tickets. The figures stay.",
                    count,
                )
                % {"count": count},
            )
            return redirect("privacy:contact", contact_id=contact.pk)
    return _page(request, contact, status=400, erase_form=form)
