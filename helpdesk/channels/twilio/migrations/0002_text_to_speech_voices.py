"""Twilio voices (Google standard voices) for the languages that have one. Pashto, Dari, Farsi,
Tigrinya, Somali, Kurdish... have none: their prompts are recordings uploaded in the admin.
Administrators can change or add voices afterwards."""

from django.db import migrations

VOICES = [
    # language code, Twilio language, voice
    ("nl", "nl-BE", "Google.nl-BE-Standard-A"),
    ("fr", "fr-FR", "Google.fr-FR-Standard-A"),
    ("en", "en-GB", "Google.en-GB-Standard-A"),
    ("ar", "ar-XA", "Google.ar-XA-Standard-A"),
    ("tr", "tr-TR", "Google.tr-TR-Standard-A"),
    ("ru", "ru-RU", "Google.ru-RU-Standard-A"),
    ("uk", "uk-UA", "Google.uk-UA-Standard-A"),
    ("es", "es-ES", "Google.es-ES-Standard-A"),
]


def seed(apps, schema_editor):
    Language = apps.get_model("helpdesk", "Language")
    Voice = apps.get_model("twilio_channel", "TextToSpeechVoice")
    for code, tts_language, voice in VOICES:
        if Language.objects.filter(code=code).exists():
            Voice.objects.get_or_create(
                language_id=code, defaults={"tts_language": tts_language, "voice": voice}
            )


class Migration(migrations.Migration):
    dependencies = [
        ("twilio_channel", "0001_initial"),
        ("helpdesk", "0002_roles_and_seed_lists"),
    ]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
