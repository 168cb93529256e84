from datetime import timedelta

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EmailChannelConfig(AppConfig):
    name = "helpdesk.channels.email"
    label = "email_channel"
    verbose_name = _("Email")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from anymail.signals import inbound as anymail_inbound
        from django.conf import settings
        from django.db.models.signals import post_delete, post_save

        from config.tasks import periodic
        from helpdesk import signals
        from helpdesk.channels.registry import OutboundChannel, register_outbound
        from helpdesk.models import Channel, Language, Queue

        from . import privacy, receivers, tasks
        from .inbound import forget_languages
        from .models import Mailbox
        from .outbound import forget_addresses

        for signal in (post_save, post_delete):
            signal.connect(forget_languages, sender=Language, dispatch_uid="email_languages")
        for model in (Mailbox, Queue):
            for signal in (post_save, post_delete):
                signal.connect(
                    forget_addresses, sender=model, dispatch_uid=f"email_{model.__name__}"
                )

        register_outbound(
            OutboundChannel(
                code=Channel.EMAIL,
                label=Channel.EMAIL.label,
                can_reach=receivers.can_reach,
                deliver=receivers.deliver,
            )
        )
        signals.ticket_created.connect(receivers.on_ticket_created, dispatch_uid="email_ack")
        anymail_inbound.connect(receivers.on_anymail_inbound, dispatch_uid="email_inbound")
        privacy.register()
        periodic(
            "email_channel.poll_mailboxes",
            tasks.poll_mailboxes,
            every=timedelta(seconds=settings.EMAIL_POLL_INTERVAL_SECONDS),
        )
        periodic("email_channel.sweep_stored", tasks.sweep_stored, every=timedelta(minutes=5))
        periodic("email_channel.purge_raw", tasks.purge_raw, every=timedelta(days=1))
