"""From the raw bytes of a received mail to what a ticket needs: who, about what, the readable
text, the files, and whether a machine sent it (an auto-reply or a delivery failure report).

Nothing here touches the database, and nothing raises on bad mail: a part we cannot read is
noted in `problems` and the rest goes on. Parsing uses Python's email package with the modern
policy; header values are read through `headers.decode_header`, which knows real mail's faults.
"""

import email
import hashlib
import re
from dataclasses import dataclass, field
from datetime import datetime
from email import policy
from email.message import Message as PyMessage
from email.parser import BytesHeaderParser

from helpdesk.services.attachments import IncomingFile

from .headers import (
    codec_for,
    decode_bytes,
    decode_header,
    message_ids,
    normalise_message_id,
    parse_addresses,
)
from .htmltext import html_to_text

# Our own Message-IDs look like <infolijn-<24 hex>@host>: bounces and loops find them by this.
OWN_MESSAGE_ID = re.compile(rb"infolijn-[0-9a-f]{24}@[A-Za-z0-9.-]+")
MAX_DEPTH = 10  # nested forwards and multiparts; deeper is an attack or a broken mailer


@dataclass
class Bounce:
    """A delivery status notification: which of our messages failed, for whom, and why."""

    original_ids: list[str]
    failed: bool  # False for "delayed" (the server still tries): recorded, not a failure
    recipients: list[str] = field(default_factory=list)
    status: str = ""  # RFC 3463 code, 5.1.1
    diagnostic: str = ""

    @property
    def summary(self) -> str:
        parts = [self.status, self.diagnostic]
        return " ".join(p for p in parts if p)[:240]


@dataclass
class ParsedEmail:
    message_id: str = ""
    in_reply_to: list[str] = field(default_factory=list)
    references: list[str] = field(default_factory=list)
    subject: str = ""
    from_name: str = ""
    from_address: str = ""
    to: list[str] = field(default_factory=list)
    cc: list[str] = field(default_factory=list)
    date: datetime | None = None
    text: str = ""
    attachments: list[IncomingFile] = field(default_factory=list)
    automatic: str = ""  # why we think a machine sent it ("" for a person)
    bounce: Bounce | None = None
    problems: list[str] = field(default_factory=list)
    own_ids_mentioned: list[str] = field(default_factory=list)

    @property
    def thread_ids(self) -> list[str]:
        """Message-IDs to look for, most telling first: In-Reply-To, then References newest first."""
        return list(dict.fromkeys([*self.in_reply_to, *reversed(self.references)]))


# --- Deduplication ------------------------------------------------------------------------

# Trace headers differ between two deliveries of the same message; the rest does not.
_CONTENT_HEADERS = ("from", "to", "cc", "date", "subject")


def dedupe_key(raw: bytes) -> tuple[str, str]:
    """(key, Message-ID): "mid:<id>" where the message has one, else a hash of its content."""
    end = raw.find(b"\r\n\r\n")
    end = raw.find(b"\n\n") if end < 0 else end
    head = raw if end < 0 else raw[:end]
    headers = BytesHeaderParser(policy=policy.compat32).parsebytes(head)
    ids = message_ids(str(headers.get("Message-ID", "") or ""))
    if ids and ids[0]:
        return f"mid:{ids[0]}", ids[0]
    digest = hashlib.sha256()
    for name in _CONTENT_HEADERS:
        digest.update(str(headers.get(name, "") or "").strip().encode("utf-8", "surrogateescape"))
        digest.update(b"\0")
    digest.update(b"" if end < 0 else raw[end:].strip())
    return f"sha256:{digest.hexdigest()}", ""


# --- Machines writing -----------------------------------------------------------------------

OOO_SUBJECT = re.compile(
    r"^\s*(auto(matic|matische?)?[ -]?(reply|response|antwort|antwoord)|autoreply|out of (the )?office"
    r"|automatisch antwoord|afwezig|niet aanwezig|afwezigheidsmelding|réponse automatique|absence"
    r"|abwesenheit|respuesta automática|fuera de la oficina|автоответ|автовідповідь"
    r"|otomatik yanıt|ofis dışında|رد تلقائي|پاسخ خودکار)",
    re.IGNORECASE,
)
MACHINE_SENDER = re.compile(
    r"^(mailer-daemon|postmaster|no-?reply|do-?not-?reply|noreply-[^@]*|bounces?)@", re.IGNORECASE
)
BOUNCE_SUBJECT = re.compile(
    r"(undeliver|delivery (status )?notification|delivery has failed|returned mail|mail delivery"
    r"|failure notice|non remis|onbestelbaar|niet (be)?zorgd|unzustellbar|rapport de non-remise)",
    re.IGNORECASE,
)


def automatic_reason(msg: PyMessage, subject: str, from_address: str) -> str:
    """Why this message was sent by a machine, or "" (RFC 3834 and what mailers really do)."""
    auto = str(msg.get("Auto-Submitted", "") or "").strip().lower()
    if auto and not auto.startswith("no"):
        return f"Auto-Submitted: {auto}"
    for name in ("X-Autoreply", "X-Autorespond", "X-Autoresponder", "X-Auto-Reply"):
        if msg.get(name) is not None:
            return name
    suppress = str(msg.get("X-Auto-Response-Suppress", "") or "").lower()
    if any(word in suppress for word in ("all", "oof", "autoreply")):
        return f"X-Auto-Response-Suppress: {suppress}"
    precedence = str(msg.get("Precedence", "") or "").strip().lower()
    if precedence in ("bulk", "junk", "list", "auto_reply"):
        return f"Precedence: {precedence}"
    if msg.get("List-Id") is not None or msg.get("List-Unsubscribe") is not None:
        return "mailing list"
    if str(msg.get("Return-Path", "") or "").strip() == "<>":
        return "Return-Path: <>"
    if MACHINE_SENDER.match(from_address or ""):
        return f"sender {from_address}"
    if OOO_SUBJECT.match(subject or ""):
        return "out-of-office subject"
    return ""


def _report_fields(part: PyMessage) -> list[PyMessage]:
    """The header blocks of a message/delivery-status part."""
    payload = part.get_payload()
    if isinstance(payload, list):
        return [p for p in payload if isinstance(p, PyMessage)]
    text = payload if isinstance(payload, str) else ""
    return [email.message_from_string(block) for block in re.split(r"\r?\n\r?\n", text) if block]


def detect_bounce(msg: PyMessage, raw: bytes, subject: str, from_address: str) -> Bounce | None:
    """A delivery status notification (RFC 3464), or a mailer's own kind of failure report."""
    is_report = (
        msg.get_content_type() == "multipart/report"
        and str(msg.get_param("report-type", "") or "").lower() == "delivery-status"
    )
    if not is_report and not (
        MACHINE_SENDER.match(from_address or "") and BOUNCE_SUBJECT.search(subject or "")
    ):
        return None
    bounce = Bounce(original_ids=[], failed=True)
    actions = []
    for part in msg.walk():
        ctype = part.get_content_type()
        if ctype in ("message/delivery-status", "message/global-delivery-status"):
            for block in _report_fields(part):
                if block.get("Action"):
                    actions.append(str(block["Action"]).strip().lower())
                    recipient = str(block.get("Final-Recipient", "") or "").split(";")[-1].strip()
                    if recipient:
                        bounce.recipients.append(recipient.lower())
                    bounce.status = bounce.status or str(block.get("Status", "") or "").strip()
                    diagnostic = decode_header(str(block.get("Diagnostic-Code", "") or ""))
                    bounce.diagnostic = bounce.diagnostic or diagnostic.split(";", 1)[-1].strip()
        elif ctype in ("message/rfc822", "text/rfc822-headers", "message/rfc822-headers"):
            original = part.get_payload()
            if isinstance(original, list) and original:
                original = original[0]
            if isinstance(original, str):
                original = email.message_from_string(original)
            if isinstance(original, PyMessage):
                bounce.original_ids += message_ids(str(original.get("Message-ID", "") or ""))
    if actions and all(action == "delayed" for action in actions):
        bounce.failed = False
    if actions and not any(a in ("failed", "delayed") for a in actions):
        return None  # "delivered", "relayed", "expanded": a success report, not a failure
    # Reports that leave out the original's headers still quote our Message-ID somewhere.
    bounce.original_ids += [m.decode("ascii") for m in OWN_MESSAGE_ID.findall(raw)]
    bounce.original_ids = list(dict.fromkeys(normalise_message_id(i) for i in bounce.original_ids))
    return bounce


# --- Text and files -------------------------------------------------------------------------


def _unflow(text: str, delsp: bool) -> str:
    """Join format=flowed lines (RFC 3676): a line ending in a space continues on the next."""
    out, paragraph = [], ""
    for line in text.split("\n"):
        if line.startswith(" "):
            line = line[1:]  # space-stuffing
        if line.endswith(" ") and line != "-- ":
            paragraph += line[:-1] if delsp else line
        else:
            out.append(paragraph + line)
            paragraph = ""
    if paragraph:
        out.append(paragraph)
    return "\n".join(out)


class _Walker:
    def __init__(self, fallback_charset: str | None):
        self.fallback = fallback_charset
        self.texts: list[str] = []
        self.files: list[IncomingFile] = []
        self.problems: list[str] = []

    def part_text(self, part: PyMessage) -> str:
        try:
            payload = part.get_payload(decode=True) or b""
        except Exception as error:  # a broken part must not lose the message
            self.problems.append(f"unreadable part: {error}")
            return ""
        charset = part.get_param("charset")
        charset = charset if isinstance(charset, str) else None
        if charset and codec_for(charset) is None and charset.lower() not in ("unknown-8bit",):
            self.problems.append(f"unknown charset {charset!r}")
        text = (
            decode_bytes(payload, charset, self.fallback).replace("\r\n", "\n").replace("\r", "\n")
        )
        if part.get_content_type() == "text/html":
            return html_to_text(text)
        if str(part.get_param("format", "") or "").lower() == "flowed":
            text = _unflow(text, str(part.get_param("delsp", "") or "").lower() == "yes")
        return text.strip("\n")

    def filename(self, part: PyMessage) -> str:
        raw = part.get_param("filename", header="content-disposition") or part.get_param("name")
        if isinstance(raw, tuple):  # RFC 2231: (charset, language, value)
            charset, _language, value = raw
            value = value.encode("latin-1", "surrogateescape") if isinstance(value, str) else value
            return decode_bytes(value, charset, self.fallback)
        return decode_header(str(raw), self.fallback) if raw else ""

    def add_file(self, part: PyMessage, name: str):
        try:
            content = part.get_payload(decode=True)
        except Exception as error:
            self.problems.append(f"unreadable attachment {name!r}: {error}")
            return
        if isinstance(content, bytes) and content:
            self.files.append(IncomingFile(name, content, part.get_content_type()))

    def walk(self, part: PyMessage, depth: int = 0):
        if depth > MAX_DEPTH:
            self.problems.append("message nested too deeply; inner parts left out")
            return
        ctype = part.get_content_type()
        if ctype == "message/rfc822":
            inner = part.get_payload()
            inner = inner[0] if isinstance(inner, list) and inner else inner
            if isinstance(inner, PyMessage):
                self.forwarded(inner, depth)
            return
        if part.is_multipart():
            children = [c for c in part.get_payload() or [] if isinstance(c, PyMessage)]
            if ctype == "multipart/alternative" and children:
                self.walk(self.best_alternative(children), depth + 1)
            else:
                for child in children:
                    self.walk(child, depth + 1)
            return
        if ctype.startswith(("message/delivery-status", "message/global-delivery-status")):
            return  # read by detect_bounce
        disposition = part.get_content_disposition()
        name = self.filename(part)
        if ctype in ("text/plain", "text/html") and disposition != "attachment" and not name:
            if text := self.part_text(part):
                self.texts.append(text)
            return
        if not name:
            extension = {"text/plain": "txt", "text/html": "html"}.get(ctype)
            extension = extension or (ctype.split("/")[-1] if "/" in ctype else "bin")
            name = f"part-{len(self.files) + 1}.{extension}"
        self.add_file(part, name)

    def best_alternative(self, children: list[PyMessage]) -> PyMessage:
        """text/plain when it says something, else the richest part (the last, RFC 2046)."""
        for child in children:
            if child.get_content_type() == "text/plain" and self.part_text(child).strip():
                return child
        for child in reversed(children):
            if child.get_content_type() in ("text/html", "multipart/related", "multipart/mixed"):
                return child
        return children[-1]

    def forwarded(self, inner: PyMessage, depth: int):
        """A forwarded message: its headers and text go into the body, its files are kept."""
        head = [
            f"{label}: {decode_header(str(inner.get(name, '') or ''), self.fallback)}"
            for label, name in (("From", "From"), ("Date", "Date"), ("Subject", "Subject"))
            if inner.get(name)
        ]
        before = len(self.texts)
        self.walk(inner, depth + 1)
        inner_text = "\n\n".join(self.texts[before:])
        del self.texts[before:]
        self.texts.append(
            "\n".join(["---------- Forwarded message ----------", *head, "", inner_text])
        )


def parse_email(raw: bytes) -> ParsedEmail:
    msg = email.message_from_bytes(raw, policy=policy.compat32)
    parsed = ParsedEmail()
    body_charset = msg.get_content_charset() if not msg.is_multipart() else None
    # 8-bit headers are most often in the body's charset; find one in the first text part.
    if body_charset is None:
        for part in msg.walk():
            if part.get_content_maintype() == "text" and (cs := part.get_content_charset()):
                body_charset = cs
                break
    fallback = body_charset

    # The raw values (8-bit bytes kept as surrogate escapes): decode_header reads them in the
    # right charset, where the email package would turn them into replacement characters.
    raw_headers: dict[str, str] = {}
    for name, value in msg.raw_items():
        raw_headers.setdefault(name.lower(), value if isinstance(value, str) else str(value))

    def header(name: str) -> str:
        return raw_headers.get(name.lower(), "")

    parsed.subject = decode_header(header("Subject"), fallback)[:255]
    senders = parse_addresses(header("From"), fallback) or parse_addresses(
        header("Sender"), fallback
    )
    if senders:
        parsed.from_name, parsed.from_address = senders[0]
    parsed.to = [a for _n, a in parse_addresses(header("To"), fallback)]
    parsed.cc = [a for _n, a in parse_addresses(header("Cc"), fallback)]
    ids = message_ids(header("Message-ID"))
    parsed.message_id = ids[0] if ids else ""
    parsed.in_reply_to = message_ids(header("In-Reply-To"))
    parsed.references = message_ids(header("References"))
    try:
        parsed.date = email.utils.parsedate_to_datetime(header("Date")) if header("Date") else None
    except (TypeError, ValueError, IndexError, OverflowError):
        parsed.problems.append("unreadable Date header")
    if parsed.date is not None and parsed.date.tzinfo is None:
        parsed.date = None  # a date without a zone cannot be placed in time

    walker = _Walker(fallback)
    try:
        walker.walk(msg)
    except Exception as error:  # keep what was read, note the rest
        walker.problems.append(f"could not read the whole message: {error}")
    parsed.text = "\n\n".join(t for t in walker.texts if t.strip()).strip()
    parsed.attachments = walker.files
    parsed.problems += walker.problems + [type(d).__name__ for d in msg.defects][:5]
    parsed.automatic = automatic_reason(msg, parsed.subject, parsed.from_address)
    parsed.bounce = detect_bounce(msg, raw, parsed.subject, parsed.from_address)
    parsed.own_ids_mentioned = [m.decode("ascii") for m in OWN_MESSAGE_ID.findall(raw[:200_000])]
    # Control characters (NUL above all, which PostgreSQL refuses in text) are never content.
    parsed.subject = printable(parsed.subject)
    parsed.from_name = printable(parsed.from_name)
    parsed.text = printable(parsed.text, keep="\n\t")
    parsed.attachments = [
        IncomingFile(printable(f.name), f.content, printable(f.content_type))
        for f in parsed.attachments
    ]
    return parsed


_CONTROL = set(range(32)) | {127}


def printable(text: str, keep: str = "") -> str:
    """`text` without control characters (those in `keep` stay) or unpaired surrogates."""
    if not text:
        return text
    kept = {ord(c) for c in keep}
    table = dict.fromkeys(_CONTROL - kept)
    text = text.translate(table)
    if any("\ud800" <= ch <= "\udfff" for ch in text):
        text = text.encode("utf-8", "replace").decode("utf-8")
    return text
