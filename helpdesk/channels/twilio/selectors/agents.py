"""Who can answer a call now: staff of the queue who take calls today, with a phone, not on
another call; those who speak the caller's language first."""

from datetime import timedelta

from django.conf import settings
from django.utils import timezone

from helpdesk.models import Language, Queue
from helpdesk.selectors.access import can_work_tickets
from helpdesk.services import clock

from ..models import CallLeg, LegStatus, StaffPhone

# A leg Twilio never told us the end of stops counting as "on a call" after this long.
STALE_LEG = timedelta(hours=4)


def ringing_legs():
    """Legs being dialled or ringing now. Twilio stops ringing after TWILIO_AGENT_RING_SECONDS;
    a leg whose end we never heard of stops counting a minute after that."""
    since = clock.now() - timedelta(seconds=settings.TWILIO_AGENT_RING_SECONDS + 60)
    return CallLeg.objects.filter(
        status__in=[LegStatus.INITIATED, LegStatus.QUEUED, LegStatus.RINGING], created_at__gte=since
    )


def busy_user_ids() -> set[int]:
    """Staff whose phone rings or who are in a call now."""
    talking = CallLeg.objects.filter(
        status=LegStatus.IN_PROGRESS, created_at__gte=clock.now() - STALE_LEG, user__isnull=False
    )
    return set(talking.values_list("user_id", flat=True)) | set(
        ringing_legs().filter(user__isnull=False).values_list("user_id", flat=True)
    )


def on_duty(queue: Queue) -> list[StaffPhone]:
    """Staff of the queue who take calls today, with a phone, whether or not on a call now."""
    today = timezone.localdate(clock.now())
    phones = (
        StaffPhone.objects.filter(available_on=today, user__is_active=True, user__queues=queue)
        .exclude(phone="")
        .select_related("user")
        .distinct()
        .order_by("updated_at")
    )
    return [phone for phone in phones if can_work_tickets(phone.user)]


def agents_to_ring(queue: Queue, language: Language | None) -> list[StaffPhone]:
    """Whom to ring for a caller in `language`: those on duty who speak it and are not on a call
    (a caller waits for a busy speaker rather than reach someone who cannot understand them);
    when nobody on duty speaks it, anyone on duty who is free (they can bring in an interpreter)."""
    duty = on_duty(queue)
    if language is not None:
        speakers = set(
            StaffPhone.objects.filter(
                pk__in=[p.pk for p in duty], user__spoken_languages=language
            ).values_list("pk", flat=True)
        )
        if speakers:
            duty = [p for p in duty if p.pk in speakers]
    busy = busy_user_ids()
    return [p for p in duty if p.user_id not in busy]


def staff_phone_of(user) -> StaffPhone | None:
    return StaffPhone.objects.filter(user=user).first()
