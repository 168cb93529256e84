from django.shortcuts import redirect
from django.urls import NoReverseMatch, reverse

from helpdesk.selectors.access import can_work_tickets


def home(request):
    """Send each person where their work is: staff to the inbox, everyone else to the knowledge base."""
    if can_work_tickets(request.user):
        return redirect("helpdesk:inbox")
    if request.user.has_perm("helpdesk.view_statistics"):  # coordinators
        return redirect("stats:overview")
    try:
        return redirect(reverse("knowledgebase:home"))
    except NoReverseMatch:
        return redirect("login")
