"""Links that leave the app (mail, SMS, QR codes) are absolute, on SITE_URL."""

from django.conf import settings
from django.urls import reverse


def private_link(ticket) -> str | None:
    """The requester's own page for this ticket, or None once the link is revoked or the
    ticket's personal data is removed. Mail acknowledgements and SMS replies both point here."""
    if not ticket.access_token:
        return None
    return settings.SITE_URL + reverse("webform_private:ticket", args=[ticket.access_token])
