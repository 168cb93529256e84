"""SMS and WhatsApp webhooks: store, enqueue, answer with empty TwiML (no automatic reply)."""

import logging

from django.http import HttpResponse
from twilio.twiml.messaging_response import MessagingResponse

from ..security import twilio_webhook
from ..services.messaging import inbound_message_record
from ..services.sending import message_status_update

log = logging.getLogger(__name__)


@twilio_webhook
def incoming(request):
    if not (request.POST.get("MessageSid") or request.POST.get("SmsSid")):
        return HttpResponse("MessageSid is missing.", status=400, content_type="text/plain")
    if inbound_message_record(request.POST) is None:
        log.info("Twilio sent message %s again; already stored", request.POST.get("MessageSid"))
    return HttpResponse(str(MessagingResponse()), content_type="text/xml; charset=utf-8")


@twilio_webhook
def status(request):
    """Delivery news about a message we sent (our message id is in the callback's query)."""
    message_id = request.GET.get("message", "")
    message_status_update(
        message_sid=request.POST.get("MessageSid", ""),
        status=request.POST.get("MessageStatus", ""),
        error_code=request.POST.get("ErrorCode", ""),
        message_id=int(message_id) if message_id.isdigit() else None,
    )
    return HttpResponse(status=204)
