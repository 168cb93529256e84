"""Retention: closed tickets past their period lose their personal data, per queue and channel."""

from datetime import timedelta
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone

from config.tasks import periodic_jobs
from helpdesk.models import Attachment, Channel, Contact, Outcome, Status, Ticket, TicketEvent
from helpdesk.privacy import registry
from helpdesk.privacy.models import AuditAction, AuditEntry, RetentionRule
from helpdesk.privacy.services.retention import RetentionPolicy, apply_retention
from helpdesk.services import clock
from helpdesk.services.attachments import IncomingFile
from helpdesk.services.contacts import contact_find_or_create
from helpdesk.services.scheduler import enqueue_due_jobs
from helpdesk.services.tickets import (
    message_receive,
    ticket_classify,
    ticket_create,
    ticket_reply,
)

pytestmark = pytest.mark.django_db
DAY = timedelta(days=1)


def closed_ticket(actor, queue, *, days_ago, channel=Channel.EMAIL, contact=None, **extra):
    at = timezone.now() - timedelta(days=days_ago)
    with clock.travel_to(at - DAY):
        ticket = ticket_create(
            queue=queue,
            channel=channel,
            subject="Subject with a story",
            body="My body text with my story",
            contact=contact
            or contact_find_or_create(name="Farid", email=f"farid{days_ago}{channel}@example.org"),
            **extra,
        )
        ticket_classify(
            ticket=ticket,
            actor=actor,
            outcome=Outcome.objects.get(code="information-given"),
            subject="Changed subject",
        )
    with clock.travel_to(at):
        ticket_reply(ticket=ticket, author=actor, body="Our answer", status=Status.CLOSED)
    ticket.refresh_from_db()
    return ticket


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    def run(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return apply_retention(**kwargs)

    return run


def test_a_closed_ticket_past_its_period_loses_what_identifies_the_person(adam, infolijn, run):
    ticket = closed_ticket(
        adam,
        infolijn,
        days_ago=settings.PRIVACY_TICKET_RETENTION_DAYS + 1,
        attachments=[IncomingFile("passport.pdf", b"%PDF passport")],
    )
    stored = Path(settings.MEDIA_ROOT) / Attachment.objects.get().file.name
    assert stored.exists()
    contact = ticket.contact

    report = run()

    ticket.refresh_from_db()
    assert report.tickets == 1
    assert ticket.pseudonymised_at is not None
    assert (ticket.subject, ticket.contact, ticket.access_token) == ("", None, None)
    assert set(ticket.messages.values_list("body", flat=True)) == {""}
    assert not ticket.messages.exclude(sender=None).exists()
    assert not Attachment.objects.exists()
    assert not stored.exists()
    subject_change = TicketEvent.objects.get(ticket=ticket, data__field="subject")
    assert subject_change.data == {"field": "subject"}
    contact.refresh_from_db()
    assert (contact.name, contact.email, contact.phone) == ("", "", "")
    assert contact.pseudonymised_at is not None
    # What the statistics count stays.
    assert ticket.status == Status.CLOSED
    assert ticket.outcome.code == "information-given"
    assert ticket.closed_at is not None
    entry = AuditEntry.objects.get(action=AuditAction.TICKET_PSEUDONYMISE)
    assert entry.target_label == ticket.reference
    assert entry.details["attachments"] == 1


def test_recent_and_open_tickets_keep_their_data(adam, infolijn, run):
    recent = closed_ticket(adam, infolijn, days_ago=settings.PRIVACY_TICKET_RETENTION_DAYS - 1)
    with clock.travel_to(timezone.now() - timedelta(days=900)):
        still_open = ticket_create(queue=infolijn, channel=Channel.PHONE, body="Still working")

    report = run()

    assert report.tickets == 0
    assert report.left_open == [still_open.reference]
    for ticket in (recent, still_open):
        ticket.refresh_from_db()
        assert ticket.pseudonymised_at is None
    assert recent.subject == "Changed subject"


def test_a_person_with_a_ticket_still_open_keeps_their_data(adam, infolijn, run):
    contact = contact_find_or_create(name="Sara", email="sara@example.org")
    old = closed_ticket(adam, infolijn, days_ago=500, contact=contact)
    ticket_create(queue=infolijn, channel=Channel.EMAIL, body="New question", contact=contact)

    run()

    old.refresh_from_db()
    contact.refresh_from_db()
    assert old.pseudonymised_at is not None
    assert old.contact is None
    assert contact.name == "Sara"
    assert contact.pseudonymised_at is None


def test_the_most_specific_rule_wins(adam, infolijn, legal_queue, run):
    RetentionRule.objects.create(channel=Channel.PHONE, pseudonymise_after_days=30)
    RetentionRule.objects.create(queue=legal_queue, pseudonymise_after_days=2000)
    RetentionRule.objects.create(
        queue=legal_queue, channel=Channel.PHONE, pseudonymise_after_days=60
    )
    phone_infolijn = closed_ticket(adam, infolijn, days_ago=40, channel=Channel.PHONE)
    email_infolijn = closed_ticket(adam, infolijn, days_ago=40)
    email_legal = closed_ticket(adam, legal_queue, days_ago=1000)
    phone_legal_young = closed_ticket(adam, legal_queue, days_ago=50, channel=Channel.PHONE)
    phone_legal_old = closed_ticket(adam, legal_queue, days_ago=70, channel=Channel.PHONE)

    policy = RetentionPolicy()
    assert policy.days("pseudonymise_after_days", legal_queue.pk, Channel.PHONE) == 60
    assert policy.days("pseudonymise_after_days", legal_queue.pk, Channel.EMAIL) == 2000
    assert policy.days("pseudonymise_after_days", infolijn.pk, Channel.PHONE) == 30
    assert policy.days("pseudonymise_after_days", infolijn.pk, Channel.EMAIL) == 365
    run()

    done = set(Ticket.objects.exclude(pseudonymised_at=None).values_list("pk", flat=True))
    assert done == {phone_infolijn.pk, phone_legal_old.pk}
    assert not {email_infolijn.pk, email_legal.pk, phone_legal_young.pk} & done


def test_a_dry_run_reports_what_would_change_and_changes_nothing(adam, infolijn):
    ticket = closed_ticket(
        adam, infolijn, days_ago=400, attachments=[IncomingFile("a.pdf", b"%PDF a")]
    )
    out = StringIO()
    call_command("apply_retention", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "Dry run" in text
    assert "Would remove the personal data of 1 closed ticket(s)." in text
    assert "infolijn" in text
    assert "Would remove 1 attachment(s)." in text
    assert "Would remove the data of 1 person(s) left with no ticket." in text
    ticket.refresh_from_db()
    assert ticket.pseudonymised_at is None
    assert ticket.subject
    assert not AuditEntry.objects.filter(action=AuditAction.RETENTION_RUN).exists()

    out = StringIO()
    call_command("apply_retention", stdout=out)
    assert "Removed the personal data of 1 closed ticket(s)." in out.getvalue()
    assert AuditEntry.objects.filter(action=AuditAction.RETENTION_RUN).exists()


def test_running_it_twice_changes_nothing_the_second_time(adam, infolijn, run):
    closed_ticket(adam, infolijn, days_ago=400)
    assert run().tickets == 1
    second = run()
    assert (second.tickets, second.contacts, second.attachments) == (0, 0, 0)


def test_a_ticket_reopened_after_pseudonymisation_is_not_pseudonymised_again_until_it_closes(
    adam, infolijn, run
):
    ticket = closed_ticket(adam, infolijn, days_ago=400)
    run()
    message_receive(ticket=ticket, channel=Channel.EMAIL, body="Me again")
    ticket.refresh_from_db()
    assert ticket.status == Status.OPEN
    assert run().tickets == 0
    assert ticket.messages.filter(body="Me again").exists()


def test_people_never_on_a_ticket_lose_their_data_after_the_period(run):
    with clock.travel_to(timezone.now() - timedelta(days=400)):
        lonely = contact_find_or_create(phone="+32470000001")
    Contact.objects.filter(pk=lonely.pk).update(updated_at=timezone.now() - timedelta(days=400))
    fresh = contact_find_or_create(phone="+32470000002")
    report = run()
    lonely.refresh_from_db()
    fresh.refresh_from_db()
    assert report.orphan_contacts == 1
    assert lonely.phone == ""
    assert fresh.phone == "+32470000002"


def test_channels_erase_what_they_hold_through_the_registry(adam, infolijn, run):
    calls = []

    def erase_ticket(ticket):
        # Runs before the core fields are cleared: the requester is still there.
        calls.append(("ticket", ticket.reference, ticket.contact.email))
        return 2

    def erase_contact(contact):
        calls.append(("contact", contact.pk))
        return 1

    def expire(policy, *, dry_run):
        calls.append(("expire", dry_run))
        return 3

    registry.register_eraser("test.raw", ticket=erase_ticket, contact=erase_contact)
    registry.register_expiry("test.recordings", expire)
    try:
        ticket = closed_ticket(adam, infolijn, days_ago=400)
        email = ticket.contact.email
        assert apply_retention(dry_run=True).expired == {"test.recordings": 3}
        report = run()
    finally:
        registry.unregister("test.raw")
        registry.unregister("test.recordings")
    assert ("ticket", ticket.reference, email) in calls
    assert ("contact", ticket.contact_id) in calls
    assert calls.count(("expire", True)) == calls.count(("expire", False)) == 1
    assert report.erased["test.raw"] == 2  # next to what the channels erased (nothing here)
    assert report.expired == {"test.recordings": 3}


def test_recording_cutoffs_follow_the_rules(infolijn, legal_queue):
    RetentionRule.objects.create(queue=legal_queue, recordings_after_days=7)
    voicemail_infolijn = ticket_create(queue=infolijn, channel=Channel.VOICEMAIL, body="x")
    voicemail_legal = ticket_create(queue=legal_queue, channel=Channel.VOICEMAIL, body="x")
    policy = RetentionPolicy()
    cutoffs = dict(
        Ticket.objects.annotate(cutoff=policy.recording_cutoff()).values_list("pk", "cutoff")
    )
    assert cutoffs[voicemail_legal.pk] == policy.now - timedelta(days=7)
    assert cutoffs[voicemail_infolijn.pk] == policy.now - timedelta(
        days=settings.PRIVACY_RECORDING_RETENTION_DAYS
    )


def test_one_failing_ticket_does_not_stop_the_others(adam, infolijn, run):
    first = closed_ticket(adam, infolijn, days_ago=400)
    second = closed_ticket(adam, infolijn, days_ago=401)

    def broken(ticket):
        if ticket.pk == first.pk:
            raise RuntimeError("the mail server is down")
        return 0

    registry.register_eraser("test.broken", ticket=broken)
    try:
        report = run()
    finally:
        registry.unregister("test.broken")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.pseudonymised_at is None
    assert first.subject
    assert second.pseudonymised_at is not None
    assert report.failures == [f"ticket {first.pk}: RuntimeError"]


def test_the_audit_log_has_its_own_longer_retention(run, settings):
    settings.PRIVACY_AUDIT_RETENTION_DAYS = 730
    now = timezone.now()
    AuditEntry.objects.create(action=AuditAction.LOGIN, at=now - timedelta(days=731))
    kept = AuditEntry.objects.create(action=AuditAction.LOGIN, at=now - timedelta(days=729))
    report = run(now=now)
    assert report.audit_entries == 1
    assert AuditEntry.objects.filter(pk=kept.pk).exists()
    assert AuditEntry.objects.filter(action=AuditAction.LOGIN).count() == 1


def test_stored_files_no_attachment_points_to_are_swept(run, settings):
    folder = Path(settings.MEDIA_ROOT) / "attachments" / "2025" / "01"
    folder.mkdir(parents=True)
    orphan = folder / "left-behind.pdf"
    orphan.write_bytes(b"%PDF")
    report = run(now=timezone.now() + timedelta(days=2))
    assert report.orphan_files == 1
    assert not orphan.exists()


def test_a_file_just_uploaded_is_never_swept(run, settings):
    folder = Path(settings.MEDIA_ROOT) / "attachments" / "2026" / "11"
    folder.mkdir(parents=True)
    (folder / "uploading.pdf").write_bytes(b"%PDF")
    assert run().orphan_files == 0


def test_it_runs_as_a_periodic_job(adam, infolijn, django_capture_on_commit_callbacks):
    assert "privacy.apply_retention" in {job.name for job in periodic_jobs()}
    ticket = closed_ticket(adam, infolijn, days_ago=400)
    with django_capture_on_commit_callbacks(execute=True):
        enqueued = enqueue_due_jobs()
    assert "privacy.apply_retention" in enqueued
    ticket.refresh_from_db()
    assert ticket.pseudonymised_at is not None


def test_the_rules_admin_refuses_a_duplicate_and_a_rule_for_everything(client, adam, infolijn):
    client.force_login(adam)
    url = "/admin/privacy/retentionrule/add/"
    assert (
        client.post(url, {"queue": infolijn.pk, "pseudonymise_after_days": 30}).status_code == 302
    )
    response = client.post(url, {"queue": infolijn.pk, "pseudonymise_after_days": 40})
    assert "already a rule" in response.content.decode()
    response = client.post(url, {"pseudonymise_after_days": 40})
    assert "PRIVACY_TICKET_RETENTION_DAYS" in response.content.decode()
    response = client.post(url, {"channel": "sms"})
    assert "at least one period" in response.content.decode()
    assert RetentionRule.objects.count() == 1
    assert AuditEntry.objects.filter(
        action=AuditAction.ADMIN_CHANGE, target_type="privacy.retentionrule"
    ).exists()
