from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TwilioChannelConfig(AppConfig):
    name = "helpdesk.channels.twilio"
    label = "twilio_channel"
    verbose_name = _("Phone, SMS and WhatsApp")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from helpdesk import roles
        from helpdesk.channels.registry import OutboundChannel, register_outbound
        from helpdesk.models import Channel
        from helpdesk.selectors.parts import register_part

        from . import checks, privacy, stats_section, tasks  # noqa: F401 - checks, periodic jobs
        from .services import sending

        privacy.register()
        stats_section.register()
        register_part("calls", self.get_model("Call"))
        register_outbound(
            OutboundChannel(
                code=Channel.SMS,
                label=_("SMS"),
                can_reach=sending.sms_can_reach,
                deliver=sending.deliver,
            )
        )
        register_outbound(
            OutboundChannel(
                code=Channel.WHATSAPP,
                label=_("WhatsApp"),
                can_reach=sending.whatsapp_can_reach,
                deliver=sending.deliver,
                restriction=sending.whatsapp_restriction,
            )
        )
        # Coordinators set up the numbers, menus, prompts and templates. Call records and
        # incoming messages hold callers' numbers: administrators only (like tickets).
        roles.extend_role(
            roles.COORDINATOR,
            *(
                f"twilio_channel.{action}_{model}"
                for model in (
                    "phonenumber",
                    "menuoption",
                    "voiceprompt",
                    "texttospeechvoice",
                    "whatsapptemplate",
                    "interpreter",
                    "staffphone",
                )
                for action in ("view", "add", "change", "delete")
            ),
        )
