"""Signed values the public pages hand out and read back; nothing of them is stored.

- The form token, in every form page: a random visit id and the moment the page was served. It
  proves a submission came from a page we served (and how long the person took to fill it in),
  and ties the knowledge-base suggestions a visitor opened to whether they sent a question.
- The confirmation token, in the link to the page after sending: which ticket, for an hour.
"""

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from enum import StrEnum

from django.conf import settings
from django.core import signing

from helpdesk.services import clock

FORM_SALT = "helpdesk.channels.webform.form"
THANKS_SALT = "helpdesk.channels.webform.thanks"
THANKS_MAX_AGE = timedelta(hours=1)


class TokenProblem(StrEnum):
    MISSING = "missing"
    FORGED = "forged"
    EXPIRED = "expired"


class TokenError(Exception):
    def __init__(self, problem: TokenProblem):
        super().__init__(problem)
        self.problem = problem


@dataclass(frozen=True)
class FormToken:
    form_id: uuid.UUID
    issued_at: datetime

    def encode(self) -> str:
        return signing.Signer(salt=FORM_SALT).sign_object(
            {"id": self.form_id.hex, "at": int(self.issued_at.timestamp())}
        )

    def age(self) -> timedelta:
        return clock.now() - self.issued_at

    def renewed(self) -> "FormToken":
        """The same visit, served again now (after the page was open too long)."""
        return FormToken(self.form_id, clock.now())


def issue_form_token() -> FormToken:
    return FormToken(uuid.uuid4(), clock.now().replace(microsecond=0))


def read_form_token(value: str | None, *, check_age: bool = True) -> FormToken:
    """The token a form page carried; raises TokenError when it is missing, forged or too old."""
    if not value:
        raise TokenError(TokenProblem.MISSING)
    try:
        data = signing.Signer(salt=FORM_SALT).unsign_object(value)
        token = FormToken(uuid.UUID(hex=data["id"]), datetime.fromtimestamp(data["at"], tz=UTC))
    except (signing.BadSignature, ValueError, TypeError, KeyError, OverflowError, OSError):
        raise TokenError(TokenProblem.FORGED) from None
    if check_age and token.age() > timedelta(hours=settings.WEBFORM_FORM_MAX_AGE_HOURS):
        raise TokenError(TokenProblem.EXPIRED)
    return token


def thanks_token(ticket_id: int) -> str:
    return signing.TimestampSigner(salt=THANKS_SALT).sign_object({"t": ticket_id})


def read_thanks_token(value: str | None) -> int | None:
    """The ticket id behind a confirmation link, or None when it is forged or older than an hour."""
    if not value:
        return None
    try:
        data = signing.TimestampSigner(salt=THANKS_SALT).unsign_object(
            value, max_age=THANKS_MAX_AGE
        )
        return int(data["t"])
    except (signing.BadSignature, ValueError, TypeError, KeyError):
        return None
