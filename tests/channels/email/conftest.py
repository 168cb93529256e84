"""Real parts for the email tests: a Dovecot IMAP server and an aiosmtpd SMTP server, both on
free loopback ports, and a builder for the mail requesters send.

Dovecot runs unprivileged with its own config and Maildir under a temporary folder; each pytest
worker (xdist) starts its own on its own port. Each test logs in as a fresh user (any name with
the password "secret"), so it starts with an empty mailbox.
"""

import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid
from pathlib import Path

import pytest
from aiosmtpd.controller import Controller
from django.utils import timezone
from imap_tools import MailBoxUnencrypted

from helpdesk.channels.email.models import Mailbox, Security

IMAP_PASSWORD = "secret"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def make_mail(
    *,
    sender="Amina <amina@example.org>",
    to="infolijn@infolijn.test",
    subject="Geen opvangplaats",
    body="Goedendag, ik heb geen plaats in een opvangcentrum. Waar kan ik vannacht slapen?",
    html=None,
    message_id=None,
    in_reply_to=None,
    references=None,
    headers=None,
    attachments=(),
    charset="utf-8",
) -> bytes:
    msg = EmailMessage()
    msg["From"] = sender
    msg["To"] = to
    msg["Subject"] = subject
    msg["Date"] = format_datetime(timezone.now())
    msg["Message-ID"] = message_id or make_msgid(domain="example.org")
    if in_reply_to:
        msg["In-Reply-To"] = in_reply_to
    if references:
        msg["References"] = references
    for name, value in (headers or {}).items():
        msg[name] = value
    msg.set_content(body, charset=charset)
    if html:
        msg.add_alternative(html, subtype="html")
    for name, content, ctype in attachments:
        maintype, subtype = ctype.split("/")
        msg.add_attachment(content, maintype=maintype, subtype=subtype, filename=name)
    return msg.as_bytes()


@pytest.fixture
def mail():
    return make_mail


# --- Dovecot --------------------------------------------------------------------------------

DOVECOT_CONF = """
protocols = imap
listen = 127.0.0.1
base_dir = {root}/run
state_dir = {root}/state
log_path = {root}/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
default_internal_user = {user}
default_internal_group = {group}
default_login_user = {user}
mail_location = maildir:{root}/mail/%u
passdb {{
  driver = static
  args = password={password}
}}
userdb {{
  driver = static
  args = uid={user} gid={group} home={root}/mail/%u
}}
service imap-login {{
  chroot =
  inet_listener imap {{
    address = 127.0.0.1
    port = {port}
  }}
  inet_listener imaps {{
    port = 0
  }}
}}
service anvil {{
  chroot =
}}
"""


@pytest.fixture(scope="session")
def dovecot():
    """A Dovecot IMAP server for this worker: (host, port)."""
    binary = shutil.which("dovecot") or (
        "/usr/sbin/dovecot" if Path("/usr/sbin/dovecot").exists() else None
    )
    if binary is None:
        pytest.fail("dovecot is not installed: ./dev setup installs dovecot-imapd (Debian).")
    # Not under pytest's temporary folder: that one is private to its owner, and Dovecot may
    # run as another user.
    root = Path(tempfile.mkdtemp(prefix="infolijn-dovecot-"))
    for sub in ("run", "state", "mail"):
        (root / sub).mkdir()
    port = free_port()
    command = [binary, "-F", "-c", str(root / "dovecot.conf")]
    if os.geteuid() == 0:
        # Dovecot refuses to read mail as root: run the whole server as nobody.
        user, group = "nobody", "nogroup"
        shutil.chown(root, user, group)
        for path in root.rglob("*"):
            shutil.chown(path, user, group)
        root.chmod(0o755)
        command = ["setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups", *command]
    else:
        import grp
        import pwd

        user = pwd.getpwuid(os.geteuid()).pw_name
        group = grp.getgrgid(os.getegid()).gr_name
    conf = DOVECOT_CONF.format(root=root, user=user, group=group, port=port, password=IMAP_PASSWORD)
    (root / "dovecot.conf").write_text(conf)
    if os.geteuid() == 0:
        shutil.chown(root / "dovecot.conf", user, group)
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                break
        except OSError:
            if process.poll() is not None:
                log = (root / "dovecot.log").read_text() if (root / "dovecot.log").exists() else ""
                pytest.fail(f"dovecot did not start: {process.stdout.read().decode()} {log}")
            time.sleep(0.1)
    else:
        process.kill()
        pytest.fail("dovecot did not open its port in 15 seconds")
    yield "127.0.0.1", port
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
    shutil.rmtree(root, ignore_errors=True)


@pytest.fixture
def imap_user(dovecot):
    """A fresh, empty IMAP account: (host, port, username)."""
    host, port = dovecot
    return host, port, f"u{uuid.uuid4().hex[:12]}"


@pytest.fixture
def imap(imap_user):
    """A client logged in to the fresh account, to put mail in and look at the folders."""
    host, port, username = imap_user
    with MailBoxUnencrypted(host, port).login(username, IMAP_PASSWORD) as client:
        yield client


@pytest.fixture
def mailbox(imap_user, infolijn, monkeypatch):
    host, port, username = imap_user
    monkeypatch.setenv("TEST_IMAP_PASSWORD", IMAP_PASSWORD)
    return Mailbox.objects.create(
        queue=infolijn,
        address="infolijn@infolijn.test",
        host=host,
        port=port,
        security=Security.NONE,
        username=username,
        password_variable="TEST_IMAP_PASSWORD",
    )


# --- SMTP -----------------------------------------------------------------------------------


class Recorder:
    """aiosmtpd handler: keeps what it accepts; can be told to refuse."""

    def __init__(self):
        self.envelopes = []
        self.refuse = None  # e.g. "550 5.1.1 No such user" or "451 4.3.0 Try again later"

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.refuse:
            return self.refuse
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.envelopes.append(envelope)
        return "250 Message accepted for delivery"

    def messages(self):
        import email
        from email import policy

        return [email.message_from_bytes(e.content, policy=policy.default) for e in self.envelopes]


@pytest.fixture
def smtp(settings):
    """A real SMTP server in this process; the default mailer sends to it."""
    handler = Recorder()
    port = free_port()
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    settings.MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {"host": "127.0.0.1", "port": port, "timeout": 10},
        }
    }
    yield handler
    controller.stop()


@pytest.fixture(autouse=True)
def _forget_addresses():
    """The channel keeps its own addresses per process; a flushed test database forgets them."""
    from helpdesk.channels.email.inbound import active_languages
    from helpdesk.channels.email.outbound import own_addresses

    own_addresses.cache_clear()
    active_languages.cache_clear()
    yield
    own_addresses.cache_clear()
    active_languages.cache_clear()
