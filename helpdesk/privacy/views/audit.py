from django.core.paginator import Paginator
from django.shortcuts import render

from helpdesk.privacy.forms import AuditFilterForm
from helpdesk.privacy.selectors import audit_entries

from .decorators import audit_reader_required

PAGE_SIZE = 100


@audit_reader_required
def audit_log(request):
    """Who did what, when, from where: searchable and filterable, newest first."""
    form = AuditFilterForm(request.GET)
    entries = audit_entries(form.filters())
    page = Paginator(entries, PAGE_SIZE).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "privacy/audit.html",
        {"form": form, "page": page, "query": query.urlencode(), "section": "audit"},
    )
