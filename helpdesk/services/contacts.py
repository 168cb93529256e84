import phonenumbers
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from helpdesk.models import Contact, Language, RequesterType


def normalise_phone(raw: str) -> str:
    """Return the number in E.164 (+32470123456), reading local numbers as Belgian by default."""
    raw = (raw or "").strip()
    if not raw:
        return ""
    try:
        number = phonenumbers.parse(raw, settings.PHONE_REGION)
    except phonenumbers.NumberParseException as error:
        raise ValidationError(
            _("“%(value)s” is not a phone number."), code="invalid_phone", params={"value": raw}
        ) from error
    if not phonenumbers.is_possible_number(number) or not phonenumbers.is_valid_number(number):
        raise ValidationError(
            _("“%(value)s” is not a valid phone number."),
            code="invalid_phone",
            params={"value": raw},
        )
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def normalise_email(raw: str) -> str:
    email = (raw or "").strip().lower()
    if email:
        validate_email(email)
    return email


def contact_find(*, email: str = "", phone: str = "") -> Contact | None:
    """The contact with this email address, else with this phone number (both normalised)."""
    if email and (contact := Contact.objects.filter(email=email).first()):
        return contact
    if phone and (contact := Contact.objects.filter(phone=phone).first()):
        return contact
    return None


def contact_find_or_create(
    *,
    email: str = "",
    phone: str = "",
    name: str = "",
    organisation: str = "",
    requester_type: RequesterType | None = None,
    preferred_language: Language | None = None,
) -> Contact | None:
    """Find the contact by email or phone, filling in what we did not know; else create one.

    Returns None when nothing identifies a person: an anonymous caller stays anonymous.
    Raises ValidationError for a malformed email address or phone number.
    """
    email = normalise_email(email)
    phone = normalise_phone(phone)
    name, organisation = name.strip(), organisation.strip()
    if not (email or phone or name):
        return None

    contact = contact_find(email=email, phone=phone)
    if contact is None:
        try:
            with transaction.atomic():
                return Contact.objects.create(
                    email=email,
                    phone=phone,
                    name=name,
                    organisation=organisation,
                    requester_type=requester_type,
                    preferred_language=preferred_language,
                )
        except IntegrityError:
            # Another request created the same person a moment ago.
            contact = contact_find(email=email, phone=phone)
            if contact is None:
                raise

    changed = []
    for field, value in (("name", name), ("organisation", organisation)):
        if value and not getattr(contact, field):
            setattr(contact, field, value)
            changed.append(field)
    # Fill in the other way to reach them, unless it already belongs to someone else.
    if email and not contact.email and not Contact.objects.filter(email=email).exists():
        contact.email = email
        changed.append("email")
    if phone and not contact.phone and not Contact.objects.filter(phone=phone).exists():
        contact.phone = phone
        changed.append("phone")
    # What people tell us now about who they are and which language they want wins.
    for field, value in (
        ("requester_type", requester_type),
        ("preferred_language", preferred_language),
    ):
        if value is not None and getattr(contact, f"{field}_id") != value.pk:
            setattr(contact, field, value)
            changed.append(field)
    if changed:
        contact.save(update_fields=[*changed, "updated_at"])
    return contact
