"""The poller against a real IMAP server (Dovecot): mail appears as a ticket in one poll, is
moved to the processed folder only after it is stored, and a poller killed between the commit
and the move loses nothing and doubles nothing."""

import json
import os
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection

from helpdesk.channels.email.models import InboundEmail, InboundStatus, Mailbox, Origin
from helpdesk.channels.email.poller import poll_mailbox
from helpdesk.channels.email.tasks import poll_mailboxes
from helpdesk.models import Ticket

from .conftest import IMAP_PASSWORD, make_mail

# The channel's promises are about commits (store, commit, then move; tasks run on commit).
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_transactional_db"),
]


def folder_uids(imap, folder):
    imap.folder.set(folder)
    return imap.uids("ALL")


def test_mail_in_the_mailbox_becomes_a_ticket_in_one_poll(imap, mailbox):
    imap.append(make_mail(message_id="<p1@example.org>"), "INBOX")
    imap.append(
        make_mail(message_id="<p2@example.org>", subject="Tweede vraag", sender="b@example.org"),
        "INBOX",
    )
    result = poll_mailbox(mailbox.pk)
    assert (result.fetched, result.stored, result.duplicates, result.error) == (2, 2, 0, "")
    assert Ticket.objects.count() == 2
    stored = InboundEmail.objects.get(msgid="p1@example.org")
    assert stored.origin == Origin.IMAP
    assert stored.mailbox == mailbox
    assert stored.status == InboundStatus.PROCESSED
    assert folder_uids(imap, "INBOX") == []
    assert len(folder_uids(imap, "Processed")) == 2
    mailbox.refresh_from_db()
    assert mailbox.last_polled_at is not None
    assert mailbox.last_error == ""
    assert mailbox.lease_until is None


def test_fetching_does_not_mark_mail_seen(imap, mailbox, monkeypatch):
    imap.append(make_mail(), "INBOX")
    from helpdesk.channels.email import poller

    monkeypatch.setattr(poller, "move_processed", lambda *args: None)
    poll_mailbox(mailbox.pk)
    imap.folder.set("INBOX")
    [message] = list(imap.fetch(mark_seen=False))
    assert "\\Seen" not in message.flags


def test_a_second_poll_of_the_same_mail_doubles_nothing(imap, mailbox):
    raw = make_mail(message_id="<same@example.org>")
    imap.append(raw, "INBOX")
    poll_mailbox(mailbox.pk)
    imap.append(raw, "INBOX")  # delivered again
    result = poll_mailbox(mailbox.pk)
    assert (result.stored, result.duplicates) == (0, 1)
    assert Ticket.objects.count() == 1
    assert folder_uids(imap, "INBOX") == []


def test_the_periodic_job_polls_every_active_mailbox(imap, mailbox):
    imap.append(make_mail(), "INBOX")
    poll_mailboxes.call()
    assert Ticket.objects.count() == 1


def test_a_wrong_password_is_recorded_on_the_mailbox(imap, mailbox, monkeypatch):
    monkeypatch.setenv("TEST_IMAP_PASSWORD", "wrong")
    result = poll_mailbox(mailbox.pk)
    assert result.error
    mailbox.refresh_from_db()
    assert "AUTHENTICATIONFAILED" in mailbox.last_error or "failed" in mailbox.last_error.lower()
    assert mailbox.lease_until is None


def test_a_missing_password_variable_says_which(imap, mailbox, monkeypatch):
    monkeypatch.delenv("TEST_IMAP_PASSWORD")
    poll_mailbox(mailbox.pk)
    mailbox.refresh_from_db()
    assert "TEST_IMAP_PASSWORD" in mailbox.last_error


def test_the_password_can_come_from_a_file(imap, mailbox, monkeypatch, tmp_path):
    monkeypatch.delenv("TEST_IMAP_PASSWORD")
    secret = tmp_path / "imap-password"
    secret.write_text(IMAP_PASSWORD + "\n")
    monkeypatch.setenv("TEST_IMAP_PASSWORD_FILE", str(secret))
    imap.append(make_mail(), "INBOX")
    assert poll_mailbox(mailbox.pk).error == ""
    assert Ticket.objects.count() == 1


def test_a_mailbox_held_by_another_poller_is_left_alone(imap, mailbox):
    from datetime import timedelta

    from django.utils import timezone

    Mailbox.objects.filter(pk=mailbox.pk).update(lease_until=timezone.now() + timedelta(minutes=5))
    imap.append(make_mail(), "INBOX")
    assert poll_mailbox(mailbox.pk).fetched == 0
    assert Ticket.objects.count() == 0


def _subprocess_database(tmp_path) -> dict:
    """Where the poller process writes: this test's own database on PostgreSQL (committed,
    so both sides see it); on SQLite (an in-memory test database) a migrated file."""
    env = {**os.environ, "TEST_IMAP_PASSWORD": IMAP_PASSWORD, "EMAIL_POLL_LEASE_SECONDS": "1"}
    settings_dict = connection.settings_dict
    if connection.vendor == "postgresql":
        user = settings_dict["USER"] or ""
        password = f":{settings_dict['PASSWORD']}" if settings_dict["PASSWORD"] else ""
        host = settings_dict["HOST"] or "127.0.0.1"
        port = settings_dict["PORT"] or 5432
        env["DATABASE_URL"] = f"postgresql://{user}{password}@{host}:{port}/{settings_dict['NAME']}"
    else:
        env["DATABASE_URL"] = f"sqlite:///{tmp_path / 'poller.sqlite3'}"
        subprocess.run(
            [sys.executable, "manage.py", "migrate", "--no-input", "-v", "0"],
            env=env,
            check=True,
            cwd=Path(__file__).resolve().parents[3],
        )
    return env


def test_a_poller_killed_between_commit_and_move_loses_and_doubles_nothing(
    imap, imap_user, tmp_path
):
    host, port, user = imap_user
    imap.append(make_mail(message_id="<killed@example.org>"), "INBOX")
    env = _subprocess_database(tmp_path)
    script = str(Path(__file__).with_name("poller_process.py"))

    def run(*args):
        return subprocess.run(
            [sys.executable, script, *args], env=env, capture_output=True, text=True, timeout=120
        )

    setup = run("setup", host, str(port), user)
    assert setup.returncode == 0, setup.stderr
    mailbox_id = setup.stdout.strip().splitlines()[-1]

    killed = run("poll", mailbox_id, "--die-before-move")
    assert killed.returncode == -9, killed.stderr  # SIGKILL: no cleanup ran
    assert json.loads(run("count").stdout) == {"tickets": 1, "stored": 1}
    assert len(folder_uids(imap, "INBOX")) == 1  # never moved

    time.sleep(1.2)  # the dead poller's lease (one second here) runs out
    again = run("poll", mailbox_id)
    assert again.returncode == 0, again.stderr
    assert json.loads(again.stdout.strip().splitlines()[-1])["duplicates"] == 1
    assert json.loads(run("count").stdout) == {"tickets": 1, "stored": 1}
    assert folder_uids(imap, "INBOX") == []
    assert len(folder_uids(imap, "Processed")) == 1
