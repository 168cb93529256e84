"""How a reply leaves the building.

The core knows nothing of SMTP or Twilio. Each channel app registers an outbound channel in its
ready(): whether it can reach a ticket's requester, and how to deliver a message (enqueue a task).
A reply with no channel chosen is recorded only, for answers given by phone or in person.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class OutboundChannel:
    code: str  # a helpdesk.models.Channel value
    label: str | Promise
    can_reach: Callable  # (ticket) -> bool
    deliver: Callable  # (message_id) -> None, called on commit; must only enqueue work
    # Why it cannot send now, or "" (for example WhatsApp's 24-hour window).
    restriction: Callable | None = None


_CHANNELS: dict[str, OutboundChannel] = {}


def register_outbound(channel: OutboundChannel) -> None:
    _CHANNELS[channel.code] = channel


def unregister_outbound(code: str) -> None:
    _CHANNELS.pop(code, None)


def outbound_channel(code: str) -> OutboundChannel | None:
    return _CHANNELS.get(code)


def outbound_channels_for(ticket) -> list[OutboundChannel]:
    """The channels that can reach this ticket's requester, the ticket's own channel first."""
    usable = [c for c in _CHANNELS.values() if c.can_reach(ticket)]
    return sorted(usable, key=lambda c: (c.code != ticket.channel, c.code))
