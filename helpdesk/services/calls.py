from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from helpdesk.models import (
    Channel,
    Language,
    Outcome,
    Queue,
    ReferralOrganisation,
    RequesterType,
    Status,
    Ticket,
    Topic,
    User,
)

from .contacts import contact_find_or_create
from .tickets import ticket_assign, ticket_classify, ticket_create, ticket_reply

PHONE_LIKE = (Channel.PHONE, Channel.CALLBACK, Channel.WALK_IN, Channel.LETTER)


@transaction.atomic
def call_log(
    *,
    queue: Queue,
    author: User,
    question: str,
    answer: str = "",
    channel: str = Channel.PHONE,
    requester_type: RequesterType | None = None,
    language: Language | None = None,
    topics: Iterable[Topic] = (),
    outcome: Outcome | None = None,
    referral: ReferralOrganisation | None = None,
    policy_signal: bool = False,
    name: str = "",
    phone: str = "",
    email: str = "",
) -> Ticket:
    """Log a question taken live (by phone, at the gate, by letter) as it is being answered.

    The ticket is created with the question, assigned to whoever took it, and the answer given is
    recorded as the first response. An outcome that closes the ticket (information given) closes
    it; others (callback scheduled, escalated) leave it open in the inbox.
    """
    if channel not in PHONE_LIKE:
        raise ValidationError(_("Only calls, callbacks, walk-ins and letters are logged by hand."))
    if not question.strip():
        raise ValidationError(_("What was the question?"))
    contact = contact_find_or_create(
        name=name,
        phone=phone,
        email=email,
        requester_type=requester_type,
        preferred_language=language,
    )
    ticket = ticket_create(
        queue=queue,
        channel=channel,
        body=question,
        contact=contact,
        language=language,
        requester_type=requester_type,
        topics=topics,
        actor=author,
    )
    ticket_assign(ticket=ticket, actor=author, assignee=author)
    ticket_classify(
        ticket=ticket,
        actor=author,
        outcome=outcome,
        referral=referral,
        policy_signal=policy_signal,
    )
    if answer.strip():
        closes = outcome is not None and outcome.closes_ticket
        ticket_reply(
            ticket=ticket,
            author=author,
            body=answer,
            status=Status.CLOSED if closes else Status.ANSWERED,
        )
    ticket.refresh_from_db()
    return ticket
