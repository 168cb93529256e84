"""Our Twilio numbers and what a caller hears: the language menu, recorded prompts and voices.

A number belongs to a queue. Its menu maps a key to a language; each choice is announced in its
own language, by a recording uploaded in the admin or, where Twilio has a voice for the language,
by text-to-speech. Pashto, Dari and Tigrinya have no Twilio voice: they need recordings.
"""

import uuid
from pathlib import PurePosixPath

from django.core.exceptions import ValidationError
from django.core.validators import FileExtensionValidator, MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _

AUDIO_EXTENSIONS = ["mp3", "wav"]  # what Twilio's <Play> plays
AUDIO_MAX_BYTES = 5 * 1024 * 1024


def prompt_path(instance, filename):
    # A new name for every upload: Twilio caches <Play> audio by URL, so a replaced recording
    # must get a new URL to be heard.
    suffix = PurePosixPath(filename).suffix.lower()[:5]
    return f"twilio/prompts/{uuid.uuid4().hex}{suffix}"


def validate_audio_size(file):
    if file.size > AUDIO_MAX_BYTES:
        raise ValidationError(
            _("A recording may be at most %(size)s."),
            params={"size": filesizeformat(AUDIO_MAX_BYTES)},
        )


AUDIO_VALIDATORS = [FileExtensionValidator(AUDIO_EXTENSIONS), validate_audio_size]


class PhoneNumber(models.Model):
    number = models.CharField(
        _("number"),
        max_length=20,
        unique=True,
        help_text=_("The Twilio number in international form, for example +3225550100."),
    )
    label = models.CharField(_("label"), max_length=100, blank=True)
    queue = models.ForeignKey(
        "helpdesk.Queue",
        on_delete=models.PROTECT,
        related_name="twilio_numbers",
        verbose_name=_("queue"),
        help_text=_("Calls and messages to this number become tickets of this queue."),
    )
    handles_calls = models.BooleanField(_("answers calls"), default=True)
    handles_sms = models.BooleanField(_("sends and receives SMS"), default=True)
    handles_whatsapp = models.BooleanField(
        _("WhatsApp sender"),
        default=False,
        help_text=_("This number is registered as a WhatsApp sender with Twilio."),
    )
    default_language = models.ForeignKey(
        "helpdesk.Language",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("default language"),
        help_text=_(
            "Used when a caller chooses nothing, and for any prompt that is missing in the "
            "caller's language."
        ),
    )
    greeting = models.FileField(
        _("greeting (recording)"),
        upload_to=prompt_path,
        blank=True,
        validators=AUDIO_VALIDATORS,
        help_text=_("Played before the language menu (MP3 or WAV). Optional."),
    )
    max_wait_seconds = models.PositiveSmallIntegerField(
        _("longest wait (seconds)"),
        default=180,
        validators=[MinValueValidator(30), MaxValueValidator(1800)],
        help_text=_("After this long in the queue a caller is offered voicemail."),
    )
    is_active = models.BooleanField(_("active"), default=True)

    class Meta:
        ordering = ["queue", "number"]
        verbose_name = _("phone number")
        verbose_name_plural = _("phone numbers")

    def __str__(self):
        return f"{self.number} {self.label}".strip()


class MenuOption(models.Model):
    number = models.ForeignKey(PhoneNumber, on_delete=models.CASCADE, related_name="menu_options")
    digit = models.PositiveSmallIntegerField(
        _("key"), validators=[MaxValueValidator(9)], help_text=_("0 to 9")
    )
    language = models.ForeignKey(
        "helpdesk.Language", on_delete=models.PROTECT, related_name="+", verbose_name=_("language")
    )
    recording = models.FileField(
        _("recording of this choice"),
        upload_to=prompt_path,
        blank=True,
        validators=AUDIO_VALIDATORS,
        help_text=_(
            "“For Pashto, press 4”, spoken in that language (MP3 or WAV). Needed where Twilio "
            "has no voice for the language."
        ),
    )

    class Meta:
        ordering = ["number", "digit"]
        verbose_name = _("language menu choice")
        verbose_name_plural = _("language menu")
        constraints = [
            models.UniqueConstraint(fields=["number", "digit"], name="twilio_menu_unique_digit"),
            models.UniqueConstraint(
                fields=["number", "language"], name="twilio_menu_unique_language"
            ),
        ]

    def __str__(self):
        return f"{self.digit}: {self.language}"


class TextToSpeechVoice(models.Model):
    """A Twilio voice that speaks a language (Twilio's <Say>); languages without one need
    recordings. https://www.twilio.com/docs/voice/twiml/say/text-speech#available-voices-and-languages"""

    language = models.OneToOneField(
        "helpdesk.Language",
        on_delete=models.CASCADE,
        primary_key=True,
        related_name="twilio_voice",
        verbose_name=_("language"),
    )
    tts_language = models.CharField(
        _("Twilio language code"), max_length=10, help_text=_("For example nl-BE or ar-XA.")
    )
    voice = models.CharField(
        _("Twilio voice"), max_length=60, help_text=_("For example Google.nl-BE-Standard-A.")
    )

    class Meta:
        verbose_name = _("text-to-speech voice")
        verbose_name_plural = _("text-to-speech voices")

    def __str__(self):
        return f"{self.language_id}: {self.voice}"


class PromptKind(models.TextChoices):
    GREETING = "greeting", _("Greeting")  # PhoneNumber.greeting; listed for completeness
    INVALID = "invalid", _("Not one of the choices")
    CLOSED = "closed", _("Closed now")
    NOBODY = "nobody", _("Nobody can answer now")
    RECORDING_NOTICE = "recording_notice", _("This call is recorded")
    HOLD = "hold", _("Please hold (press a key for voicemail)")
    HOLD_MUSIC = "hold_music", _("Hold music")
    POSITION_1 = "position_1", _("You are number 1 in the queue")
    POSITION_2 = "position_2", _("You are number 2 in the queue")
    POSITION_3 = "position_3", _("You are number 3 in the queue")
    POSITION_4 = "position_4", _("You are number 4 in the queue")
    POSITION_5 = "position_5", _("You are number 5 in the queue")
    POSITION_6 = "position_6", _("You are number 6 in the queue")
    POSITION_7 = "position_7", _("You are number 7 in the queue")
    POSITION_8 = "position_8", _("You are number 8 in the queue")
    POSITION_9 = "position_9", _("You are number 9 in the queue")
    CONSENT = "consent", _("Consent: 1 to leave a message, 2 to be called back")
    CONSENT_NO_CALLBACK = (
        "consent_no_callback",
        _("Consent (number withheld): 1 to leave a message"),
    )
    RECORD = "record", _("Speak after the tone")
    NO_MESSAGE = "no_message", _("No message was heard")
    THANKS_VOICEMAIL = "thanks_voicemail", _("Thank you for your message")
    THANKS_CALLBACK = "thanks_callback", _("We will call you back")
    GOODBYE = "goodbye", _("Goodbye")


class VoicePrompt(models.Model):
    """A recorded prompt in one language, played instead of text-to-speech."""

    kind = models.CharField(_("prompt"), max_length=24, choices=PromptKind.choices)
    language = models.ForeignKey(
        "helpdesk.Language",
        on_delete=models.CASCADE,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("language"),
        help_text=_("Empty for hold music, which is the same in every language."),
    )
    recording = models.FileField(_("recording"), upload_to=prompt_path, validators=AUDIO_VALIDATORS)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        ordering = ["language", "kind"]
        verbose_name = _("recorded prompt")
        verbose_name_plural = _("recorded prompts")
        constraints = [
            models.UniqueConstraint(fields=["kind", "language"], name="twilio_prompt_unique"),
            models.UniqueConstraint(
                fields=["kind"], condition=Q(language__isnull=True), name="twilio_prompt_unique_any"
            ),
        ]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.language or _('every language')})"
