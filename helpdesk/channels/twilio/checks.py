from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=False)
def twilio_settings(app_configs, **kwargs):
    problems = []
    if settings.TWILIO_FAKE_API and not (settings.DEBUG or settings.TESTING):
        problems.append(
            Error(
                "TWILIO_FAKE_API is on while DEBUG is off: replies and calls would silently go "
                "nowhere.",
                hint="Unset TWILIO_FAKE_API in production.",
                id="twilio_channel.E001",
            )
        )
    if bool(settings.TWILIO_ACCOUNT_SID) != bool(settings.TWILIO_AUTH_TOKEN):
        problems.append(
            Warning(
                "Only one of TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN is set: the phone channel "
                "stays off and every webhook is refused.",
                id="twilio_channel.W001",
            )
        )
    if (
        settings.TWILIO_AUTH_TOKEN
        and not settings.DEBUG
        and not settings.TWILIO_PUBLIC_BASE_URL.startswith("https://")
    ):
        problems.append(
            Warning(
                "TWILIO_PUBLIC_BASE_URL is not an https address: Twilio would send callers' "
                "messages in clear text.",
                id="twilio_channel.W002",
            )
        )
    return problems
