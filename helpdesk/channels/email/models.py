"""What the email channel keeps: the mailboxes it polls, every message it received (raw, before
anything else happens to it) and every mail it sends.

The raw message is stored and committed before it is parsed, moved on the server or answered,
so a crash at any point loses nothing; its unique `dedupe_key` makes a second delivery, poll or
import of the same message a no-op.
"""

import os
import re
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.validators import RegexValidator
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

ENV_NAME = re.compile(r"^[A-Z_][A-Z0-9_]*$")


class Security(models.TextChoices):
    TLS = "tls", _("TLS (port 993)")
    STARTTLS = "starttls", _("STARTTLS (port 143)")
    # Only for a server on the same machine (tests, a local relay): the password travels in clear.
    NONE = "none", _("None (loopback only)")


class Mailbox(models.Model):
    """A queue's IMAP mailbox. The password is never stored here: `password_variable` names the
    environment variable that holds it (or NAME_FILE, a file with it), like every other secret."""

    queue = models.ForeignKey(
        "helpdesk.Queue",
        on_delete=models.PROTECT,
        related_name="mailboxes",
        verbose_name=_("queue"),
    )
    address = models.EmailField(
        _("address"),
        help_text=_("The address people write to. Answers are sent from it and come back to it."),
    )
    host = models.CharField(_("IMAP server"), max_length=255)
    port = models.PositiveIntegerField(_("port"), default=993)
    security = models.CharField(
        _("security"), max_length=10, choices=Security.choices, default=Security.TLS
    )
    username = models.CharField(_("user name"), max_length=255)
    password_variable = models.CharField(
        _("password variable"),
        max_length=100,
        validators=[
            RegexValidator(
                ENV_NAME, _("Capital letters, digits and underscores, as in MAIL_PASSWORD.")
            )
        ],
        help_text=_(
            "The name of the environment variable that holds the password (or NAME_FILE with "
            "the path of a file that holds it). Secrets never go into the database."
        ),
    )
    folder = models.CharField(_("folder to read"), max_length=255, default="INBOX")
    processed_folder = models.CharField(
        _("folder for processed mail"),
        max_length=255,
        default="Processed",
        help_text=_("Each message is moved here once it is safely stored. Created if missing."),
    )
    is_active = models.BooleanField(_("active"), default=True)
    last_polled_at = models.DateTimeField(_("last polled"), null=True, blank=True, editable=False)
    last_error = models.TextField(_("last error"), blank=True, editable=False)
    last_error_at = models.DateTimeField(_("last error at"), null=True, blank=True, editable=False)
    # One poller at a time per mailbox: a worker claims the mailbox until this moment.
    lease_until = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        verbose_name = _("mailbox")
        verbose_name_plural = _("mailboxes")
        ordering = ["queue", "address"]
        constraints = [models.UniqueConstraint(fields=["address"], name="unique_mailbox_address")]

    def __str__(self):
        return self.address

    def clean(self):
        if self.processed_folder and self.processed_folder == self.folder:
            raise ValidationError(
                {"processed_folder": _("Processed mail must go to another folder.")}
            )
        if self.security == Security.NONE and self.host not in ("127.0.0.1", "localhost", "::1"):
            raise ValidationError(
                {"security": _("Without TLS the password would cross the network in clear.")}
            )

    def password(self) -> str:
        """The password from the environment; raises ValidationError when it is not there."""
        name = self.password_variable
        if path := os.environ.get(f"{name}_FILE"):
            return Path(path).read_text(encoding="utf-8").strip()
        if name in os.environ:
            return os.environ[name]
        raise ValidationError(
            _("The environment variable %(name)s (or %(name)s_FILE) is not set."),
            params={"name": name},
        )

    @property
    def password_is_set(self) -> bool:
        name = self.password_variable
        return bool(os.environ.get(name) or os.environ.get(f"{name}_FILE"))


class Origin(models.TextChoices):
    IMAP = "imap", _("Mailbox")
    WEBHOOK = "webhook", _("Provider webhook")
    IMPORT = "import", _("Import")


class InboundStatus(models.TextChoices):
    STORED = "stored", _("Stored, waiting to be processed")
    PROCESSED = "processed", _("Processed")
    REJECTED = "rejected", _("Rejected")
    FAILED = "failed", _("Failed: needs a person")


class InboundOutcome(models.TextChoices):
    TICKET = "ticket", _("New ticket")
    REPLY = "reply", _("Reply on a ticket")
    RELATED = "related", _("New ticket linked to another")
    AUTO_REPLY = "auto_reply", _("Automatic reply recorded")
    BOUNCE = "bounce", _("Delivery failure recorded")


class InboundEmail(models.Model):
    """One received message, exactly as it arrived, and what became of it."""

    dedupe_key = models.CharField(max_length=255, unique=True, editable=False)
    msgid = models.CharField(_("Message-ID"), max_length=255, blank=True, db_index=True)
    raw = models.BinaryField(_("raw message"), editable=False)
    size = models.PositiveIntegerField(_("size"), default=0)
    raw_purged_at = models.DateTimeField(_("raw message removed"), null=True, blank=True)
    origin = models.CharField(_("came from"), max_length=10, choices=Origin.choices)
    origin_detail = models.CharField(
        _("where exactly"), max_length=255, blank=True, help_text=_("File, provider or folder.")
    )
    mailbox = models.ForeignKey(
        Mailbox, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("mailbox")
    )
    imap_uid = models.CharField(_("IMAP UID"), max_length=20, blank=True)
    queue = models.ForeignKey(
        "helpdesk.Queue", on_delete=models.PROTECT, related_name="+", verbose_name=_("queue")
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    status = models.CharField(
        _("status"), max_length=10, choices=InboundStatus.choices, default=InboundStatus.STORED
    )
    outcome = models.CharField(
        _("outcome"), max_length=12, choices=InboundOutcome.choices, blank=True
    )
    # Why it was rejected, or the error that stopped it: for the person who looks at it.
    reason = models.TextField(_("reason"), blank=True)
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    processed_at = models.DateTimeField(_("processed"), null=True, blank=True)
    # Copied from the headers when processed, so the list can be read without parsing.
    subject = models.CharField(_("subject"), max_length=255, blank=True)
    from_address = models.CharField(_("from"), max_length=254, blank=True)
    is_automatic = models.BooleanField(_("automatic message"), default=False)
    ticket = models.ForeignKey(
        "helpdesk.Ticket",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("ticket"),
    )
    message = models.ForeignKey(
        "helpdesk.Message",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("message"),
    )

    class Meta:
        verbose_name = _("received email")
        verbose_name_plural = _("received emails")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["status", "received_at"], name="inbound_status_idx")]

    def __str__(self):
        return self.subject or self.msgid or f"#{self.pk}"


class OutboundKind(models.TextChoices):
    REPLY = "reply", _("Answer")
    ACKNOWLEDGEMENT = "ack", _("Acknowledgement")


class OutboundState(models.TextChoices):
    PENDING = "pending", _("Waiting to be sent")
    SENDING = "sending", _("Being sent")
    SENT = "sent", _("Sent")
    FAILED = "failed", _("Failed")
    BOUNCED = "bounced", _("Bounced")


class OutboundEmail(models.Model):
    """A mail we send (an answer, an acknowledgement): its Message-ID, for threading and bounces,
    and the state that keeps a retried task from sending it twice."""

    ticket = models.ForeignKey(
        "helpdesk.Ticket", on_delete=models.CASCADE, related_name="+", verbose_name=_("ticket")
    )
    message = models.OneToOneField(
        "helpdesk.Message",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="outbound_email",
        verbose_name=_("message"),
    )
    kind = models.CharField(_("kind"), max_length=5, choices=OutboundKind.choices)
    recipient = models.EmailField(_("to"))
    msgid = models.CharField(_("Message-ID"), max_length=255, unique=True)
    language = models.CharField(_("language"), max_length=12, blank=True)
    state = models.CharField(
        _("state"), max_length=8, choices=OutboundState.choices, default=OutboundState.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("attempts"), default=0)
    error = models.TextField(_("error"), blank=True)
    created_at = models.DateTimeField(_("created"), default=timezone.now)
    claimed_at = models.DateTimeField(null=True, blank=True, editable=False)
    sent_at = models.DateTimeField(_("sent"), null=True, blank=True)

    class Meta:
        verbose_name = _("sent email")
        verbose_name_plural = _("sent emails")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["recipient", "kind", "created_at"], name="outbound_ack_idx")
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["ticket"], condition=Q(kind="ack"), name="one_acknowledgement_per_ticket"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} → {self.recipient}"
