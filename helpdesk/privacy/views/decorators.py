from functools import wraps

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied

from helpdesk.privacy.services.rights import can_handle_rights_requests

AUDIT_PERMISSION = "privacy.view_auditentry"


def can_read_audit_log(user) -> bool:
    return bool(user.is_authenticated and user.is_active and user.has_perm(AUDIT_PERMISSION))


def _requiring(check):
    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not check(request.user):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


rights_handler_required = _requiring(can_handle_rights_requests)
audit_reader_required = _requiring(can_read_audit_log)
privacy_officer_required = _requiring(
    lambda user: can_handle_rights_requests(user) or can_read_audit_log(user)
)
