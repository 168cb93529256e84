"""Who may call what: the same rules as the pages (helpdesk.roles, helpdesk.selectors.access).

Ticket data is for people who work tickets, and then only in their queues (the querysets come
from helpdesk.selectors.access, so a ticket outside them is a 404, never a 403 that would say it
exists). The coded lists are for ticket workers and for whoever maintains the lists.
"""

from django.utils.translation import gettext_lazy as _
from rest_framework import permissions

from helpdesk.selectors.access import can_work_tickets


class WorksTickets(permissions.BasePermission):
    message = _("Only staff who work tickets may do this (volunteers and coordinators do not).")

    def has_permission(self, request, view):
        return can_work_tickets(request.user)


class ReadsLists(permissions.BasePermission):
    """Ticket workers (they choose from the lists) and those who may view the list's model."""

    message = _("Only staff and coordinators may read the lists.")

    def has_permission(self, request, view):
        user = request.user
        if can_work_tickets(user):
            return True
        perm = getattr(view, "view_permission", None)
        return bool(perm and user and user.is_authenticated and user.has_perm(perm))


class ManagesTokens(permissions.BasePermission):
    message = _("Only administrators manage API tokens.")

    def has_permission(self, request, view):
        return request.user.is_authenticated and request.user.has_perm("api.add_apitoken")
