from django.conf import settings
from django.shortcuts import render

from helpdesk.forms import InboxFilterForm
from helpdesk.selectors.inbox import inbox_page
from helpdesk.selectors.lists import coded_lists

from .decorators import is_htmx, ticket_worker_required


@ticket_worker_required
def inbox(request):
    lists = coded_lists()
    form = InboxFilterForm(request.GET, user=request.user, lists=lists)
    page = inbox_page(
        lists=lists,
        user=request.user,
        filters=form.filters(),
        number=request.GET.get("page"),
        per_page=settings.INBOX_PAGE_SIZE,
    )
    query = request.GET.copy()
    query.pop("page", None)
    context = {"form": form, "page": page, "query": query.urlencode()}
    # htmx asks for the results only when a filter changes; the page around them stays.
    template = "helpdesk/inbox.html#results" if is_htmx(request) else "helpdesk/inbox.html"
    return render(request, template, context)
