"""Calls staff place: calling a requester back from the ticket, and bringing an interpreter in.

A call back rings the staff member's own phone first ("press 1 to call back IL-2026-000123");
when they accept, the requester is added to a conference with them, from our number, so the
requester sees the info line calling. An interpreter joins the same conference as a third
participant (incoming calls are conferences too, see routing).
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from config.tasks import enqueue_on_commit
from helpdesk.models import Ticket, User
from helpdesk.selectors.access import queue_ids_for, require_ticket_access
from helpdesk.services import clock
from helpdesk.services.contacts import normalise_phone

from ..client import is_configured
from ..models import Call, CallDirection, CallLeg, CallState, LegKind, PhoneNumber
from ..selectors.agents import busy_user_ids, staff_phone_of
from .routing import conference_name


def _tasks():
    from .. import tasks

    return tasks


def _require_phone_setup(user: User):
    if not is_configured():
        raise ValidationError(_("Phone calls through Twilio are not set up."))
    phone = staff_phone_of(user)
    if phone is None or not phone.phone:
        raise ValidationError(
            _("First enter the phone number you answer calls on, on the Phone page.")
        )
    if user.pk in busy_user_ids():
        raise ValidationError(_("You are already on a call."))
    return phone


@transaction.atomic
def callback_place(*, ticket: Ticket, actor: User) -> Call:
    """Call the requester back: ring the staff member, then the requester."""
    require_ticket_access(actor, ticket)
    staff_phone = _require_phone_setup(actor)
    if ticket.contact is None or not ticket.contact.phone:
        raise ValidationError(_("This ticket has no phone number to call."))
    number = PhoneNumber.objects.filter(
        queue_id=ticket.queue_id, is_active=True, handles_calls=True
    ).first()
    if number is None:
        raise ValidationError(
            _("The queue “%(queue)s” has no phone number to call from.") % {"queue": ticket.queue}
        )
    call = Call.objects.create(
        direction=CallDirection.OUTBOUND,
        number=number,
        queue_id=ticket.queue_id,
        language=ticket.language,
        from_number=number.number,
        to_number=ticket.contact.phone,
        state=CallState.DIALING,
        placed_by=actor,
        ticket=ticket,
        started_at=clock.now(),
    )
    call.conference_name = conference_name(call)
    call.save(update_fields=["conference_name"])
    leg = CallLeg.objects.create(
        call=call,
        kind=LegKind.STAFF,
        user=actor,
        to_number=staff_phone.phone,
        created_at=clock.now(),
    )
    enqueue_on_commit(_tasks().dial_leg, leg.pk)
    return call


@transaction.atomic
def staff_accept(*, leg: CallLeg) -> Call:
    """The staff member picked up and pressed 1: dial the requester into their conference."""
    leg = CallLeg.objects.select_for_update(of=("self",)).select_related("call").get(pk=leg.pk)
    call = leg.call
    if leg.accepted_at is None:
        leg.accepted_at = clock.now()
        leg.save(update_fields=["accepted_at"])
        requester = CallLeg.objects.create(
            call=call, kind=LegKind.REQUESTER, to_number=call.to_number, created_at=clock.now()
        )
        enqueue_on_commit(_tasks().dial_participant, requester.pk)
    return call


def live_call_of(user: User) -> Call | None:
    """The call a staff member is in now (answered, or calling back), if any."""
    leg = (
        CallLeg.objects.filter(
            user=user,
            status="in-progress",
            accepted_at__isnull=False,
            call__state__in=[CallState.CONNECTED, CallState.CONNECTING, CallState.DIALING],
        )
        .select_related("call", "call__language", "call__queue", "call__ticket")
        .order_by("-created_at")
        .first()
    )
    return leg.call if leg else None


@transaction.atomic
def call_add_interpreter(*, call: Call, actor: User, phone: str) -> CallLeg:
    """Dial an interpreter into the call's conference as a third participant."""
    if call.queue_id not in queue_ids_for(actor):
        raise PermissionDenied
    call = Call.objects.select_for_update().get(pk=call.pk)
    if call.state not in (CallState.CONNECTED, CallState.DIALING) or not call.conference_name:
        raise ValidationError(_("This call is not in progress any more."))
    leg = CallLeg.objects.create(
        call=call,
        kind=LegKind.INTERPRETER,
        to_number=normalise_phone(phone),
        user=actor,  # who brought them in
        created_at=clock.now(),
    )
    enqueue_on_commit(_tasks().dial_participant, leg.pk)
    return leg
