from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from helpdesk.selectors.access import can_work_tickets


def ticket_worker_required(view):
    """Logged in, and allowed to work tickets (volunteers and coordinators are not)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_work_tickets(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"
