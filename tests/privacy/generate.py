"""Realistic tickets with planted personal data, written through the services.

Every personal string starts with "GONE-" on tickets that will be closed long enough ago to be
pseudonymised, and "KEEP-" on tickets left open, so a test can search the whole database and
the stored files for either.
"""

import random
from datetime import timedelta

from django.utils import timezone

from helpdesk.models import (
    Channel,
    Language,
    Outcome,
    Queue,
    ReferralOrganisation,
    RequesterType,
    Status,
    Topic,
)
from helpdesk.services import clock
from helpdesk.services.attachments import IncomingFile
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.tickets import (
    message_receive,
    ticket_add_note,
    ticket_change_status,
    ticket_classify,
    ticket_create,
    ticket_merge,
    ticket_reply,
)


class Planter:
    def __init__(self, seed: int):
        self.rng = random.Random(seed)
        self.counter = 0
        self.planted = {"GONE": [], "KEEP": []}

    def secret(self, kind: str, what: str) -> str:
        self.counter += 1
        value = f"{kind}-{what}-{self.counter:04d}-{self.rng.randint(1000, 9999)}"
        self.planted[kind].append(value)
        return value

    def contact(self, kind: str):
        phone = f"+3247{self.rng.randint(1000000, 9999999)}"
        self.planted[kind].append(phone)
        return contact_find_or_create(
            name=self.secret(kind, "Name"),
            email=f"{self.secret(kind, 'mail').lower()}@example.org",
            phone=phone,
            organisation=self.secret(kind, "Org") if self.rng.random() < 0.3 else "",
        )

    def file(self, kind: str) -> IncomingFile:
        name = self.secret(kind, "letter")
        return IncomingFile(f"{name}.pdf", f"%PDF {self.secret(kind, 'filebody')}".encode())


def generate(actor, *, seed: int = 1, closed: int = 30, left_open: int = 4):
    """Make `closed` tickets closed more than a year ago and `left_open` recent open ones."""
    planter = Planter(seed)
    rng = planter.rng
    queues = list(Queue.objects.all())
    topics = list(Topic.objects.all())
    languages = list(Language.objects.all())
    requester_types = list(RequesterType.objects.all())
    outcomes = list(Outcome.objects.filter(closes_ticket=True))
    referrals = list(ReferralOrganisation.objects.all())
    pool = [planter.contact("GONE") for _ in range(max(3, closed // 3))]
    start = timezone.now() - timedelta(days=800)
    made = []
    for _i in range(closed):
        at = start + timedelta(days=rng.uniform(0, 300), hours=rng.uniform(0, 10))
        with clock.travel_to(at):
            contact = rng.choice([None, *pool, *pool])
            ticket = ticket_create(
                queue=rng.choice(queues),
                channel=rng.choice(Channel.values),
                subject=planter.secret("GONE", "subject"),
                body=planter.secret("GONE", "body"),
                contact=contact,
                language=rng.choice(languages),
                requester_type=rng.choice(requester_types),
                topics=rng.sample(topics, rng.randint(0, 3)),
                attachments=[planter.file("GONE")] if rng.random() < 0.3 else [],
            )
        made.append(ticket)
        with clock.travel_to(at + timedelta(hours=rng.uniform(1, 48))):
            if rng.random() < 0.4:
                ticket_add_note(ticket=ticket, author=actor, body=planter.secret("GONE", "note"))
            if rng.random() < 0.3:
                other = rng.choice(pool)
                if other != contact:
                    message_receive(
                        ticket=ticket,
                        channel=Channel.EMAIL,
                        body=planter.secret("GONE", "cc"),
                        sender=other,
                        attachments=[planter.file("GONE")] if rng.random() < 0.3 else [],
                    )
            if rng.random() < 0.3:
                ticket_classify(
                    ticket=ticket, actor=actor, subject=planter.secret("GONE", "newsubject")
                )
            ticket_reply(
                ticket=ticket,
                author=actor,
                body=planter.secret("GONE", "answer"),
                status=rng.choice([Status.ANSWERED, Status.WAITING]),
                attachments=[planter.file("GONE")] if rng.random() < 0.2 else [],
            )
        outcome = rng.choice(outcomes)
        with clock.travel_to(at + timedelta(days=rng.uniform(2, 6))):
            ticket_classify(
                ticket=ticket,
                actor=actor,
                outcome=outcome,
                referral=rng.choice(referrals) if outcome.needs_referral else None,
                policy_signal=rng.random() < 0.2,
                topics=rng.sample(topics, rng.randint(1, 2)),
            )
            ticket_change_status(ticket=ticket, actor=actor, status=Status.CLOSED)
        if rng.random() < 0.2 and ticket.contact:
            with clock.travel_to(at + timedelta(days=rng.uniform(7, 10))):
                message_receive(
                    ticket=ticket,
                    channel=ticket.channel,
                    body=planter.secret("GONE", "again"),
                    sender=ticket.contact,
                )
            with clock.travel_to(at + timedelta(days=rng.uniform(11, 14))):
                ticket_reply(
                    ticket=ticket,
                    author=actor,
                    body=planter.secret("GONE", "answer2"),
                    status=Status.CLOSED,
                )
    # A few duplicates folded into another ticket of the same queue.
    by_queue = {}
    for ticket in made:
        by_queue.setdefault(ticket.queue_id, []).append(ticket)
    for tickets in by_queue.values():
        if len(tickets) >= 4 and rng.random() < 0.8:
            source, target = tickets[0], tickets[1]
            with clock.travel_to(max(source.created_at, target.created_at) + timedelta(days=20)):
                ticket_merge(source=source, target=target, actor=actor)
                target.refresh_from_db()
                if target.status != Status.CLOSED:
                    ticket_change_status(ticket=target, actor=actor, status=Status.CLOSED)
    open_tickets = []
    for _ in range(left_open):
        ticket = ticket_create(
            queue=rng.choice(queues),
            channel=rng.choice(Channel.values),
            subject=planter.secret("KEEP", "subject"),
            body=planter.secret("KEEP", "body"),
            contact=planter.contact("KEEP"),
            attachments=[planter.file("KEEP")],
        )
        open_tickets.append(ticket)
    return planter.planted, made, open_tickets
