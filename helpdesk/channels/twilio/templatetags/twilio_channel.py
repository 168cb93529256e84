from django import template
from django.utils.translation import gettext as _

from helpdesk.selectors.parts import EVERY_PART

from ..forms import InterpreterForm, WhatsAppTemplateForm
from ..selectors.panel import ticket_phone_panel
from ..services.intake import duration_text

register = template.Library()


@register.simple_tag
def call_facts(call) -> str:
    """ "waited 0:35 · 4:10 in all · answered by Ines", only what is known."""
    facts = []
    if call.queue_seconds is not None:
        facts.append(_("waited %(time)s") % {"time": duration_text(call.queue_seconds)})
    if call.duration_seconds is not None:
        facts.append(_("%(time)s in all") % {"time": duration_text(call.duration_seconds)})
    if call.answered_by:
        facts.append(_("answered by %(person)s") % {"person": call.answered_by})
    if call.placed_by:
        facts.append(_("called by %(person)s") % {"person": call.placed_by})
    if call.leave_reason:
        facts.append(str(call.get_leave_reason_display()))
    return " · ".join(facts)


@register.inclusion_tag("twilio_channel/_ticket_panel.html", takes_context=True)
def twilio_ticket_panel(context, ticket):
    """The ticket page's phone card: calls and recordings, call back, interpreter, WhatsApp."""
    request = context["request"]
    # The ticket page's parts describe its own ticket only (never a merged or related one).
    parts = context.get("ticket_parts") if context.get("ticket") is ticket else None
    panel = ticket_phone_panel(ticket, request.user, parts=parts or EVERY_PART)
    live = panel["live_call"]
    return {
        **panel,
        "ticket": ticket,
        "request": request,
        "csrf_token": context.get("csrf_token"),
        # Shown only during a call (_interpreter.html): not built for every ticket page.
        "interpreter_form": InterpreterForm(language=live.language) if live else None,
        "template_form": WhatsAppTemplateForm(ticket=ticket) if panel["has_templates"] else None,
    }
