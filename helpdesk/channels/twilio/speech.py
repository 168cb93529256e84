"""What a caller hears, in their language.

For each prompt we look along the caller's language chain (their language, the site language for
its speakers, that language's fallbacks, the number's default language, English) and take the
first that works: a recording uploaded in the admin, or Twilio's text-to-speech where Twilio has a
voice for the language AND our text is translated into it (an Arabic voice reading English would
be worse than English). Pashto, Dari and Tigrinya have no Twilio voice: they need recordings.
"""

import logging
from pathlib import PurePosixPath

from django.conf import settings
from django.utils import formats, timezone, translation
from django.utils.translation import gettext, gettext_noop

from helpdesk.models import Language

from .client import public_url
from .models import MenuOption, PhoneNumber, PromptKind, TextToSpeechVoice, VoicePrompt

log = logging.getLogger(__name__)

# Spoken by Twilio's voices (translated like every other string; "menu" is said in each option's
# own language). Keys are prompt kinds, plus "menu", "closed_until" and "position".
TEXTS = {
    "menu": gettext_noop("For %(language)s, press %(digit)s."),
    PromptKind.INVALID: gettext_noop("Sorry, that is not one of the choices."),
    PromptKind.CLOSED: gettext_noop("We are closed now."),
    "closed_until": gettext_noop("We are closed now. We open again on %(day)s at %(time)s."),
    PromptKind.NOBODY: gettext_noop("Nobody can take your call right now."),
    PromptKind.RECORDING_NOTICE: gettext_noop("This call is recorded."),
    PromptKind.HOLD: gettext_noop(
        "Please stay on the line: the next free colleague will answer. "
        "Press any key to leave a message instead."
    ),
    "position": gettext_noop("You are number %(position)s in the queue."),
    PromptKind.CONSENT: gettext_noop(
        "To leave a message, press 1. Your message will be recorded, and deleted after "
        "%(days)s days. To be called back without leaving a message, press 2."
    ),
    PromptKind.CONSENT_NO_CALLBACK: gettext_noop(
        "To leave a message, press 1. Your message will be recorded, and deleted after "
        "%(days)s days. We cannot see your number: please say it in your message."
    ),
    PromptKind.RECORD: gettext_noop(
        "Please speak after the tone. Press the hash key when you have finished."
    ),
    PromptKind.NO_MESSAGE: gettext_noop("We did not hear a message."),
    PromptKind.THANKS_VOICEMAIL: gettext_noop(
        "Thank you. We will listen to your message and call you back."
    ),
    PromptKind.THANKS_CALLBACK: gettext_noop("Thank you. We will call you back at this number."),
    PromptKind.GOODBYE: gettext_noop(
        "You can also send us a text message at this number. Goodbye."
    ),
}


def prompt_audio_url(source: str, obj, field: str = "recording") -> str:
    """The public URL Twilio fetches a recording from (its file name in it: a new upload, a new
    URL, so Twilio's cache never plays the old one)."""
    name = PurePosixPath(getattr(obj, field).name).name
    return public_url("prompt_audio", source, obj.pk, name)


def interface_language(language: Language | None) -> str:
    if language is None:
        return settings.LANGUAGE_CODE
    return language.interface_language or language.code


def translate(msgid: str, site_language: str) -> str | None:
    """Our text in that site language, or None when it is not translated yet (English is the
    source language, so it always is)."""
    with translation.override(site_language):
        text = gettext(msgid)
    if text == msgid and not site_language.startswith("en"):
        return None
    return text


def translated(text_key: str, site_language: str) -> bool:
    return translate(TEXTS[text_key], site_language) is not None


def chain_codes(language: Language | None, number: PhoneNumber | None) -> list[str]:
    """The languages to try for a caller of `language`, best first."""
    codes: list[str] = []
    if language is not None:
        site = interface_language(language)
        codes += [language.code, site, *settings.LANGUAGE_FALLBACKS.get(site, [])]
    if number is not None and number.default_language_id:
        codes.append(number.default_language_id)
    codes += [settings.LANGUAGE_CODE, "en"]
    return list(dict.fromkeys(codes))


def _load(codes, *, recordings: bool = True) -> tuple[dict, dict, dict]:
    languages = Language.objects.in_bulk(codes)
    voices = {v.language_id: v for v in TextToSpeechVoice.objects.filter(language_id__in=codes)}
    prompts = {}
    if recordings:
        prompts = {
            (prompt.kind, prompt.language_id): prompt
            for prompt in VoicePrompt.objects.filter(language_id__in=codes)
            | VoicePrompt.objects.filter(language__isnull=True)
        }
    return languages, voices, prompts


class Speaker:
    """Adds prompts to a TwiML verb in the best language available (see the module docstring).

    Three queries, whatever is said: the chain's languages, their voices and their recordings
    (or none, given what another Speaker loaded).
    """

    def __init__(
        self, language: Language | None, number: PhoneNumber | None = None, *, loaded=None
    ):
        self.language = language
        self.codes = chain_codes(language, number)
        languages, self.voices, self.recordings = loaded or _load(self.codes)
        self.chain = [languages[code] for code in self.codes if code in languages]

    def say(self, parent, in_language: Language, text_key: str, /, **params) -> bool:
        """Say our text in `in_language`, if Twilio has a voice for it and the text is translated."""
        voice = self.voices.get(in_language.code)
        if voice is None:
            return False
        text = translate(TEXTS[text_key], interface_language(in_language))
        if text is None:
            return False
        parent.say(text % params, voice=voice.voice, language=voice.tts_language)
        return True

    def add(self, parent, kind: str, *, text_key: str | None = None, **params) -> bool:
        """Play the recording of `kind` or say its text, in the first language that has one."""
        text_key = text_key or kind
        for language in self.chain:
            if prompt := self.recordings.get((kind, language.code)):
                parent.play(prompt_audio_url("prompt", prompt))
                return True
            if text_key in TEXTS and self.say(parent, language, text_key, **params):
                return True
        log.warning("No recording or voice for the %s prompt in %s", kind, self.codes)
        return False

    def add_closed(self, parent, next_opening) -> None:
        """ "We are closed", with the next opening said where a voice says it."""
        for language in self.chain:
            if prompt := self.recordings.get((PromptKind.CLOSED, language.code)):
                parent.play(prompt_audio_url("prompt", prompt))
                return
            if next_opening is not None:
                local = timezone.localtime(next_opening)
                with translation.override(interface_language(language)):
                    day = formats.date_format(local, "l j F")
                    time = formats.time_format(local, "H:i")
                if self.say(parent, language, "closed_until", day=day, time=time):
                    return
            if self.say(parent, language, PromptKind.CLOSED):
                return

    def add_position(self, parent, position: int) -> None:
        if position < 1:
            return
        kind = f"position_{position}" if position <= 9 else None
        for language in self.chain:
            if kind and (prompt := self.recordings.get((kind, language.code))):
                parent.play(prompt_audio_url("prompt", prompt))
                return
            if self.say(parent, language, "position", position=position):
                return
            if any((f"position_{n}", language.code) in self.recordings for n in range(1, 10)):
                return  # spoken by recordings only, which stop at 9: better silent than foreign

    def hold_music_url(self) -> str:
        if prompt := self.recordings.get((PromptKind.HOLD_MUSIC, None)):
            return prompt_audio_url("prompt", prompt)
        return settings.TWILIO_HOLD_MUSIC_URL


def add_menu(parent, options: list[MenuOption], number: PhoneNumber) -> None:
    """Each choice announced in its own language ("للعربية اضغط 3"), in three queries."""
    codes = {code for option in options for code in chain_codes(option.language, number)}
    loaded = _load(codes, recordings=False)
    for option in options:
        if option.recording:
            parent.play(prompt_audio_url("menu", option))
            continue
        speaker = Speaker(option.language, number, loaded=loaded)
        for language in speaker.chain:
            site = interface_language(language)
            with translation.override(site):
                name = (
                    option.language.native_name
                    if language.code == option.language.code and option.language.native_name
                    else str(option.language)
                )
            if speaker.say(parent, language, "menu", language=name, digit=option.digit):
                break


def prompt_gaps(number: PhoneNumber) -> list[tuple[Language, str]]:
    """Which (language, prompt) of this number's menu would not be heard in the caller's own
    language: no recording, and no Twilio voice or no translation. Shown in the admin."""
    gaps = []
    kinds = [k for k in TEXTS if k in PromptKind.values]
    options = list(number.menu_options.select_related("language"))
    voices = set(
        TextToSpeechVoice.objects.filter(
            language_id__in=[o.language_id for o in options]
        ).values_list("language_id", flat=True)
    )
    recorded = set(
        VoicePrompt.objects.filter(language_id__in=[o.language_id for o in options]).values_list(
            "kind", "language_id"
        )
    )
    for option in options:
        site = interface_language(option.language)
        has_voice = option.language_id in voices
        if not option.recording and not (has_voice and translated("menu", site)):
            gaps.append((option.language, "menu"))
        for kind in kinds:
            if (kind, option.language_id) in recorded:
                continue
            if not (has_voice and translated(kind, site)):
                gaps.append((option.language, kind))
        if ("position_1", option.language_id) not in recorded and not (
            has_voice and translated("position", site)
        ):
            gaps.append((option.language, "position"))
    return gaps
