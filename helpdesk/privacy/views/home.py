from django.conf import settings
from django.shortcuts import render

from helpdesk.models import Channel
from helpdesk.privacy.forms import ContactSearchForm
from helpdesk.privacy.selectors import recent_requests
from helpdesk.privacy.services.retention import RetentionPolicy

from .decorators import privacy_officer_required


@privacy_officer_required
def home(request):
    """The data protection officer's overview: retention in force, what is due, recent requests."""
    policy = RetentionPolicy()
    context = {
        "search_form": ContactSearchForm(),
        "rules": policy.rules,
        "ticket_days": settings.PRIVACY_TICKET_RETENTION_DAYS,
        "recording_days": settings.PRIVACY_RECORDING_RETENTION_DAYS,
        "audit_days": settings.PRIVACY_AUDIT_RETENTION_DAYS,
        "due": policy.tickets_due().count(),
        "left_open": policy.tickets_left_open().count(),
        "requests": recent_requests(),
        "section": "home",
        "channels": dict(Channel.choices),
    }
    return render(request, "privacy/home.html", context)
