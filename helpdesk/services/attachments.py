"""Files that come with a message, on any channel, within the limits in settings."""

import hashlib
import mimetypes
from dataclasses import dataclass
from pathlib import PurePosixPath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from helpdesk.models import Attachment, Message


@dataclass(frozen=True)
class IncomingFile:
    """A file as a channel received it: the name and type are the sender's claims."""

    name: str
    content: bytes
    content_type: str = ""

    @classmethod
    def from_upload(cls, upload) -> "IncomingFile":
        """Read an uploaded file; one over the size limit is refused before it is read."""
        if upload.size > settings.ATTACHMENT_MAX_BYTES:
            raise _too_large(upload.name)
        return cls(upload.name, upload.read(), upload.content_type or "")


def safe_filename(name: str) -> str:
    """The last path component, without control characters, at most 200 characters."""
    name = PurePosixPath((name or "").replace("\\", "/")).name
    name = "".join(ch for ch in name if ch.isprintable()).strip(" .") or "file"
    stem, suffix = name[: -len(PurePosixPath(name).suffix) or None], PurePosixPath(name).suffix
    return stem[: 200 - len(suffix)] + suffix


# Types the mimetypes module does not know everywhere.
EXTRA_TYPES = {"heic": "image/heic", "amr": "audio/amr", "m4a": "audio/mp4", "webp": "image/webp"}


def allowed_type(incoming: IncomingFile) -> str:
    """The content type we will store and serve, or raise if the file is not allowed.

    The type comes from the file name's extension, not from what the sender claimed: a file
    named .html claimed as image/png is still HTML to a browser.
    """
    name = safe_filename(incoming.name)
    extension = PurePosixPath(name).suffix.lower().lstrip(".")
    if extension in settings.ATTACHMENT_ALLOWED_EXTENSIONS:
        guessed = EXTRA_TYPES.get(extension) or mimetypes.guess_type(name, strict=False)[0]
        return guessed or "application/octet-stream"
    raise ValidationError(
        _("“%(name)s”: files of this type are not accepted."),
        code="attachment_type",
        params={"name": name},
    )


def _too_large(name: str) -> ValidationError:
    return ValidationError(
        _("“%(name)s” is larger than %(limit)s."),
        code="attachment_size",
        params={
            "name": safe_filename(name),
            "limit": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
        },
    )


def validate_incoming(incoming: IncomingFile) -> str:
    """The content type to store, or ValidationError when the file breaks a limit."""
    if len(incoming.content) > settings.ATTACHMENT_MAX_BYTES:
        raise _too_large(incoming.name)
    return allowed_type(incoming)


def attachment_add(*, message: Message, incoming: IncomingFile) -> Attachment:
    """Store the file with the message; raise ValidationError when it breaks a limit."""
    content_type = validate_incoming(incoming)
    filename = safe_filename(incoming.name)
    attachment = Attachment(
        message=message,
        filename=filename,
        content_type=content_type,
        size=len(incoming.content),
        sha256=hashlib.sha256(incoming.content).hexdigest(),
    )
    attachment.file.save(filename, ContentFile(incoming.content), save=False)
    attachment.save()
    return attachment


def attachment_limits_text() -> str:
    """What to tell people before they upload."""
    return _("At most %(size)s per file. Accepted: %(types)s.") % {
        "size": filesizeformat(settings.ATTACHMENT_MAX_BYTES),
        "types": ", ".join(settings.ATTACHMENT_ALLOWED_EXTENSIONS),
    }


def partition_files(files) -> tuple[list[IncomingFile], list[str]]:
    """Split what a channel received into files we keep and reasons for those we refuse.

    Channels that cannot ask the sender again (email, SMS) keep the message and note the
    refusals on the ticket instead of losing the whole message.
    """
    accepted, refused = [], []
    for incoming in files:
        try:
            validate_incoming(incoming)
        except ValidationError as error:
            refused.append(" ".join(error.messages))
        else:
            accepted.append(incoming)
    return accepted, refused
