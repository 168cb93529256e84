from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from knowledgebase.selectors.access import can_edit, can_read_internal


def internal_reader_required(view):
    """Logged in and allowed to read internal articles (volunteers, staff, coordinators)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_read_internal(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


def editor_required(view):
    """Logged in and allowed to change articles (info-line staff, legal specialists)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not can_edit(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper
