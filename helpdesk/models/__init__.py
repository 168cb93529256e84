from helpdesk.answer.models import ArticleUse, CannedResponse, InsertMode, MissingArticle

from .contact import Contact
from .event import EventKind, TicketEvent
from .hours import Closure, OpeningHours, Weekday
from .message import Attachment, DeliveryStatus, Direction, Message
from .queue import Queue, ReferenceCounter
from .scheduler import ScheduledJobRun
from .taxonomy import Language, ListVersion, Outcome, ReferralOrganisation, RequesterType, Topic
from .ticket import Channel, Priority, Status, Ticket, TicketTopic
from .user import User

__all__ = [
    "ArticleUse",
    "Attachment",
    "CannedResponse",
    "Channel",
    "Closure",
    "Contact",
    "DeliveryStatus",
    "Direction",
    "EventKind",
    "InsertMode",
    "Language",
    "ListVersion",
    "Message",
    "MissingArticle",
    "OpeningHours",
    "Outcome",
    "Priority",
    "Queue",
    "ReferenceCounter",
    "ReferralOrganisation",
    "RequesterType",
    "ScheduledJobRun",
    "Status",
    "Ticket",
    "TicketEvent",
    "TicketTopic",
    "Topic",
    "User",
    "Weekday",
]
