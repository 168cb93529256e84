"""Staff members set the phone they answer on and whether they take calls today."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from helpdesk.models import User
from helpdesk.selectors.access import can_work_tickets
from helpdesk.services import clock
from helpdesk.services.contacts import normalise_phone

from ..models import StaffPhone


@transaction.atomic
def staff_phone_save(*, user: User, phone: str) -> StaffPhone:
    if not can_work_tickets(user):
        raise ValidationError(_("Only staff who work tickets answer calls."))
    phone = normalise_phone(phone)
    staff_phone, _created = StaffPhone.objects.select_for_update().get_or_create(
        user=user, defaults={"phone": phone}
    )
    if staff_phone.phone != phone:
        staff_phone.phone = phone
        if not phone:
            staff_phone.available_on = None
        staff_phone.save()
    return staff_phone


@transaction.atomic
def staff_availability_set(*, user: User, available: bool) -> StaffPhone:
    """Take calls today (until midnight), or stop."""
    staff_phone = StaffPhone.objects.select_for_update().filter(user=user).first()
    if staff_phone is None or not staff_phone.phone:
        raise ValidationError(_("First enter the phone number you answer calls on."))
    staff_phone.available_on = timezone.localdate(clock.now()) if available else None
    staff_phone.save(update_fields=["available_on", "updated_at"])
    return staff_phone
