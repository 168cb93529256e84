"""The audit log: who viewed, changed, exported, erased what; append-only; read by administrators."""

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import connection, transaction
from django.db.utils import DatabaseError
from django.urls import reverse

from helpdesk.models import Topic
from helpdesk.privacy.audit import audit_record, describe_target
from helpdesk.privacy.models import AuditAction, AuditEntry, PrivacyRequest
from helpdesk.privacy.models.append_only import AppendOnlyError
from helpdesk.services.attachments import IncomingFile
from helpdesk.services.tickets import ticket_add_note, ticket_assign, ticket_reply

pytestmark = pytest.mark.django_db
AUDIT = reverse("privacy:audit")


def entries(**filters):
    return list(AuditEntry.objects.filter(**filters).order_by("id"))


def test_viewing_a_ticket_is_recorded_with_who_and_from_where(client, ines, ticket):
    client.force_login(ines)
    client.get(reverse("helpdesk:ticket", args=[ticket.reference]), REMOTE_ADDR="192.0.2.7")
    (entry,) = entries(action=AuditAction.TICKET_VIEW)
    assert (entry.actor, entry.actor_label) == (ines, "ines")
    assert (entry.target_type, entry.target_id, entry.target_label) == (
        "ticket",
        str(ticket.pk),
        ticket.reference,
    )
    assert entry.ip == "192.0.2.7"


def test_behind_the_proxy_the_address_is_the_one_it_forwarded(client, ines, ticket, settings):
    settings.PRIVACY_TRUST_FORWARDED_FOR = True
    client.force_login(ines)
    client.get(
        reverse("helpdesk:ticket", args=[ticket.reference]),
        REMOTE_ADDR="127.0.0.1",
        HTTP_X_FORWARDED_FOR="10.9.9.9, 198.51.100.4",
    )
    assert entries(action=AuditAction.TICKET_VIEW)[0].ip == "198.51.100.4"


def test_changes_answers_and_notes_are_mirrored_with_a_link_to_the_event(ines, youssef, ticket):
    ticket_assign(ticket=ticket, actor=ines, assignee=youssef)
    note = ticket_add_note(ticket=ticket, author=ines, body="Checked with Fedasil")
    changes = entries(action=AuditAction.TICKET_CHANGE, actor=ines)
    assert [c.details["kind"] for c in changes] == ["assigned", "status"]
    assert all(c.target_label == ticket.reference for c in changes)
    event_ids = {c.details["event"] for c in changes}
    assert event_ids == set(ticket.events.filter(actor=ines).values_list("pk", flat=True))
    (message,) = entries(action=AuditAction.TICKET_MESSAGE)
    assert message.details == {"message": note.pk, "direction": "note"}
    assert "Fedasil" not in str(message.details)


def test_downloading_an_attachment_is_recorded(client, ines, ticket):
    reply = ticket_reply(
        ticket=ticket,
        author=ines,
        body="See the letter",
        attachments=[IncomingFile("a.pdf", b"%PDF")],
    )
    client.force_login(ines)
    response = client.get(reverse("helpdesk:attachment", args=[reply.attachments.get().pk]))
    assert response.status_code == 200
    (entry,) = entries(action=AuditAction.ATTACHMENT_DOWNLOAD)
    assert entry.target_label == ticket.reference


def test_logins_failures_and_logouts_are_recorded(client, ines):
    login = reverse("login")
    client.post(login, {"username": "ines", "password": "wrong"})
    client.post(login, {"username": "ines", "password": "password"})
    client.post(reverse("logout"))
    actions = [e.action for e in entries(target_id=str(ines.pk))]
    assert actions == [AuditAction.LOGIN_FAILED, AuditAction.LOGIN, AuditAction.LOGOUT]


def test_a_failed_login_with_an_unknown_name_stores_nothing_that_was_typed(client, db):
    typed = "my-secret-password-typed-in-the-wrong-field"
    client.post(reverse("login"), {"username": typed, "password": "x"})
    (entry,) = entries(action=AuditAction.LOGIN_FAILED)
    assert entry.details == {"account": "unknown"}
    stored = " ".join(str(value) for value in AuditEntry.objects.values_list().get())
    assert typed not in stored
    assert entry.fingerprint
    assert entry.fingerprint not in typed


def test_entries_cannot_be_changed_or_deleted_by_the_application(db):
    entry = audit_record(action=AuditAction.LOGIN, target_type="user", target_id=1)
    entry.details = {"changed": True}
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.filter(pk=entry.pk).update(action="auth.logout")
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        PrivacyRequest.objects.all().delete()
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditAction.LOGIN


@pytest.mark.skipif(connection.vendor != "postgresql", reason="the trigger is PostgreSQL's")
def test_postgresql_refuses_to_rewrite_the_log_even_in_raw_sql(db):
    entry = audit_record(action=AuditAction.LOGIN, target_type="user", target_id=1)
    for sql in (
        "UPDATE privacy_auditentry SET action = 'auth.logout' WHERE id = %s",
        "DELETE FROM privacy_auditentry WHERE id = %s",
    ):
        with (
            pytest.raises(DatabaseError, match="append-only"),
            transaction.atomic(),
            connection.cursor() as cursor,
        ):
            cursor.execute(sql, [entry.pk])
    assert AuditEntry.objects.filter(pk=entry.pk).count() == 1
    # The retention job's path still works, and only within its own transaction.
    assert AuditEntry.objects.filter(pk=entry.pk).prune() == 1
    other = audit_record(action=AuditAction.LOGIN)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("DELETE FROM privacy_auditentry WHERE id = %s", [other.pk])


def test_a_person_is_never_named_in_the_log(amina, ticket):
    assert describe_target(amina) == ("contact", str(amina.pk), f"#{amina.pk}")
    assert describe_target(ticket)[2] == ticket.reference


def test_admin_changes_are_recorded(client, adam):
    topic = Topic.objects.get(code="dublin")
    client.force_login(adam)
    response = client.post(
        reverse("admin:helpdesk_topic_change", args=[topic.pk]),
        {
            "code": topic.code,
            "name_nl": "Dublin (nieuw)",
            "position": topic.position,
            "is_active": "on",
            "is_question": "on",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    (entry,) = entries(action=AuditAction.ADMIN_CHANGE)
    assert (entry.actor, entry.target_type, entry.target_id) == (
        adam,
        "helpdesk.topic",
        str(topic.pk),
    )
    assert entry.details["flag"] == "changed"


def test_the_admin_shows_the_log_but_cannot_change_it(client, adam):
    entry = audit_record(action=AuditAction.LOGIN, actor=adam, target=adam)
    client.force_login(adam)
    assert client.get(reverse("admin:privacy_auditentry_changelist")).status_code == 200
    assert client.get(reverse("admin:privacy_auditentry_add")).status_code == 403
    change = reverse("admin:privacy_auditentry_change", args=[entry.pk])
    assert "Save" not in client.get(change).content.decode()
    client.post(change, {"action": "auth.logout"})
    assert (
        client.post(reverse("admin:privacy_auditentry_delete", args=[entry.pk])).status_code == 403
    )
    assert AuditEntry.objects.get(pk=entry.pk).action == AuditAction.LOGIN


def test_an_administrator_searches_the_log_by_person_action_target_and_date(
    client, adam, ines, youssef, ticket
):
    audit_record(actor=ines, action=AuditAction.TICKET_VIEW, target=ticket)
    audit_record(actor=youssef, action=AuditAction.TICKET_VIEW, target=ticket)
    audit_record(actor=ines, action=AuditAction.CONTACT_EXPORT, target=ticket.contact)
    client.force_login(adam)

    def shown(**query):
        page = client.get(AUDIT, query).context["page"]
        return [(e.actor_label, e.action) for e in page.object_list]

    assert shown(actor="ines", action="ticket.view") == [("ines", "ticket.view")]
    assert set(shown(target=ticket.reference, action="ticket.view")) == {
        ("ines", "ticket.view"),
        ("youssef", "ticket.view"),
    }
    assert shown(target=f"#{ticket.contact_id}") == [("ines", "contact.export")]
    assert shown(action="contact.", actor="youssef") == []
    assert shown(since="2001-01-01", until="2001-01-02") == []
    assert shown(ip="not an address", actor="ines") != []  # a bad filter shows everything
    body = client.get(AUDIT, {"actor": "ines"}).content.decode()
    assert ticket.reference in body


@pytest.mark.parametrize("persona", ["ines", "otto", "vera", "cora"])
def test_only_administrators_read_the_audit_log(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(AUDIT).status_code == 403
    assert client.get(reverse("admin:privacy_auditentry_changelist")).status_code in (302, 403)


def test_the_ticket_page_links_administrators_to_who_saw_it(client, adam, ines, ticket):
    url = reverse("helpdesk:ticket", args=[ticket.reference])
    client.force_login(ines)
    assert "Who saw or changed this ticket" not in client.get(url).content.decode()
    client.force_login(adam)
    assert "Who saw or changed this ticket" in client.get(url).content.decode()


def test_a_requesters_address_is_not_kept(rf, infolijn):
    """A web form creating a ticket is in the log (as a change by nobody) without its address."""
    from helpdesk.privacy.audit import request_context
    from helpdesk.services.tickets import ticket_create

    request = rf.post("/en/ask/", REMOTE_ADDR="203.0.113.50")
    request.user = AnonymousUser()
    with request_context(request):
        ticket = ticket_create(queue=infolijn, channel="webform", body="A question")
    (entry,) = entries(action=AuditAction.TICKET_CHANGE)
    assert entry.target_label == ticket.reference
    assert entry.ip is None
