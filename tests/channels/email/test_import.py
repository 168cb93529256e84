"""`manage.py import_email`: .eml files, mbox files and Maildir folders, through the same path
as polled mail, with a summary; and every message of CPython's email test corpus ends as a
ticket, a reply or a recorded rejection with a reason."""

import mailbox
import sysconfig
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command

from helpdesk.channels.email.models import InboundEmail, InboundStatus, Origin
from helpdesk.models import Ticket

from .conftest import make_mail

# The channel's promises are about commits (store, commit, then move; tasks run on commit).
pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("seeded_transactional_db"),
]


def run(*args):
    out = StringIO()
    call_command("import_email", *map(str, args), stdout=out)
    return out.getvalue()


def test_it_imports_eml_mbox_and_maildir_and_threads_replies(tmp_path, education, smtp):
    question = make_mail(message_id="<arch-1@example.org>", subject="Inschrijving OKAN")
    (tmp_path / "question.eml").write_bytes(question)
    box = mailbox.mbox(tmp_path / "archive.mbox")
    box.add(
        make_mail(
            message_id="<arch-2@example.org>", in_reply_to="<arch-1@example.org>", body="Nog iets."
        )
    )
    box.add(
        make_mail(message_id="<arch-3@example.org>", sender="c@example.org", subject="Andere vraag")
    )
    box.flush()
    maildir = mailbox.Maildir(tmp_path / "Maildir", create=True)
    maildir.add(
        make_mail(message_id="<arch-4@example.org>", sender="d@example.org", subject="Vierde")
    )
    maildir.add(question)  # the same message again
    output = run(
        tmp_path / "question.eml",
        tmp_path / "archive.mbox",
        tmp_path / "Maildir",
        "--queue",
        "education",
    )
    assert "imported as new tickets:  3" in output
    assert "threaded as replies:      1" in output
    assert "skipped as duplicates:    1" in output
    assert Ticket.objects.filter(queue=education).count() == 3
    assert InboundEmail.objects.filter(origin=Origin.IMPORT).count() == 4
    assert smtp.envelopes == []  # an archive is never acknowledged


def test_importing_the_same_archive_again_changes_nothing(tmp_path, infolijn):
    (tmp_path / "a.eml").write_bytes(make_mail())
    run(tmp_path / "a.eml")
    output = run(tmp_path / "a.eml")
    assert "imported as new tickets:  0" in output
    assert "skipped as duplicates:    1" in output
    assert Ticket.objects.count() == 1


def test_a_broken_file_is_kept_and_reported_not_dropped(tmp_path, infolijn):
    (tmp_path / "garbage.eml").write_bytes(b"\x00\x01\x02 not a mail at all \xff\xfe")
    output = run(tmp_path / "garbage.eml")
    stored = InboundEmail.objects.get()
    assert stored.status in (InboundStatus.REJECTED, InboundStatus.PROCESSED)
    assert "rejected:                 1" in output or "imported as new tickets:  1" in output


def test_an_unknown_queue_or_path_is_a_clear_error(tmp_path, infolijn):
    with pytest.raises(CommandError, match="No queue"):
        run(tmp_path, "--queue", "nope")
    with pytest.raises(CommandError, match="no such file"):
        run(tmp_path / "missing.mbox")


def corpus() -> list[Path]:
    """CPython's own email test messages, from the Python running the tests."""
    candidates = [Path(sysconfig.get_paths()["stdlib"]) / "test" / "test_email" / "data"]
    try:
        import test

        candidates.insert(0, Path(test.__file__).parent / "test_email" / "data")
    except ImportError:
        pass
    for folder in candidates:
        files = sorted(folder.glob("msg_*.txt"))
        if files:
            return files
    pytest.fail(
        "CPython's email test corpus (Lib/test/test_email/data/msg_*.txt) is missing from this "
        "Python; install the interpreter's test package (Debian: libpython3.X-testsuite)."
    )


def test_every_message_of_cpythons_email_corpus_ends_somewhere_with_a_reason(tmp_path, infolijn):
    files = corpus()
    assert len(files) > 40
    for path in files:
        (tmp_path / path.name).write_bytes(path.read_bytes())
    output = run(*sorted(tmp_path.iterdir()))
    stored = list(InboundEmail.objects.all())
    # Some corpus files are byte-identical messages (same Message-ID): one stored copy each.
    assert len(stored) + int(output.split("skipped as duplicates:")[1].split()[0]) == len(files)
    for inbound in stored:
        assert inbound.status in (InboundStatus.PROCESSED, InboundStatus.REJECTED), (
            inbound.origin_detail,
            inbound.reason,
        )
        if inbound.status == InboundStatus.PROCESSED:
            assert inbound.ticket_id is not None, inbound.origin_detail
        else:
            assert inbound.reason, inbound.origin_detail
    assert "failed (kept for review): 0" in output
