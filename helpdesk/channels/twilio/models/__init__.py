from .calls import (
    Call,
    CallDirection,
    CallLeg,
    CallResult,
    CallState,
    LeaveReason,
    LegKind,
    LegStatus,
)
from .messaging import (
    InboundMessage,
    InboundStatus,
    OutboundMessage,
    OutboundState,
    TemplateVariable,
    WhatsAppTemplate,
)
from .numbers import MenuOption, PhoneNumber, PromptKind, TextToSpeechVoice, VoicePrompt
from .recordings import Recording, RecordingKind, RecordingStatus
from .staff import Interpreter, StaffPhone

__all__ = [
    "Call",
    "CallDirection",
    "CallLeg",
    "CallResult",
    "CallState",
    "InboundMessage",
    "InboundStatus",
    "Interpreter",
    "LeaveReason",
    "LegKind",
    "LegStatus",
    "MenuOption",
    "OutboundMessage",
    "OutboundState",
    "PhoneNumber",
    "PromptKind",
    "Recording",
    "RecordingKind",
    "RecordingStatus",
    "StaffPhone",
    "TemplateVariable",
    "TextToSpeechVoice",
    "VoicePrompt",
    "WhatsAppTemplate",
]
