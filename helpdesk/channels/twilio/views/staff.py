"""Staff pages: the Phone page (your number, taking calls today, who waits, your call), and the
ticket page's phone actions. Each checks who may see what through helpdesk.selectors.access."""

from pathlib import PurePosixPath

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from helpdesk.selectors.access import queue_ids_for, ticket_for
from helpdesk.services import clock
from helpdesk.views.decorators import ticket_worker_required

from ..client import is_configured
from ..forms import InterpreterForm, StaffPhoneForm, WhatsAppTemplateForm
from ..models import Call, MenuOption, PhoneNumber, Recording, RecordingStatus, VoicePrompt
from ..selectors.agents import staff_phone_of
from ..selectors.panel import recent_calls, waiting_calls
from ..services import outbound, recordings, staff
from ..services.sending import whatsapp_template_send


def _back(request, default):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, {request.get_host()}, request.is_secure()
    ):
        return redirect(target)
    return redirect(default)


def _errors(request, error: ValidationError):
    for text in error.messages:
        messages.error(request, text)


@ticket_worker_required
def desk(request):
    staff_phone = staff_phone_of(request.user)
    live = outbound.live_call_of(request.user)
    context = {
        "configured": is_configured(),
        "staff_phone": staff_phone,
        "available_today": bool(
            staff_phone and staff_phone.available_on == timezone.localdate(clock.now())
        ),
        "phone_form": StaffPhoneForm(initial={"phone": staff_phone.phone if staff_phone else ""}),
        "live_call": live,
        "interpreter_form": InterpreterForm(language=live.language if live else None),
        "waiting": waiting_calls(request.user),
        "recent": recent_calls(request.user),
    }
    return render(request, "twilio_channel/desk.html", context)


@ticket_worker_required
def desk_waiting(request):
    """The "waiting now" list, refreshed by htmx every few seconds."""
    return render(request, "twilio_channel/_waiting.html", {"waiting": waiting_calls(request.user)})


@require_POST
@ticket_worker_required
def phone_save(request):
    form = StaffPhoneForm(request.POST)
    if form.is_valid():
        try:
            staff.staff_phone_save(user=request.user, phone=form.cleaned_data["phone"])
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("Your phone number was saved."))
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    return redirect("twilio_channel:desk")


@require_POST
@ticket_worker_required
def availability(request):
    available = request.POST.get("available") == "1"
    try:
        staff.staff_availability_set(user=request.user, available=available)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(
            request,
            _("You take calls today. Your phone rings when callers wait.")
            if available
            else _("You no longer take calls."),
        )
    return _back(request, "twilio_channel:desk")


@require_POST
@ticket_worker_required
def ticket_call(request, reference):
    ticket = ticket_for(request.user, reference)
    try:
        outbound.callback_place(ticket=ticket, actor=request.user)
    except ValidationError as error:
        _errors(request, error)
    else:
        messages.success(request, _("Your phone rings now; press 1 to call the requester."))
    return redirect("helpdesk:ticket", reference=ticket.reference)


@require_POST
@ticket_worker_required
def ticket_whatsapp_template(request, reference):
    ticket = ticket_for(request.user, reference)
    form = WhatsAppTemplateForm(request.POST, ticket=ticket)
    if form.is_valid():
        try:
            whatsapp_template_send(
                ticket=ticket, author=request.user, template=form.cleaned_data["template"]
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The template is on its way."))
    else:
        messages.error(request, _("Choose a template."))
    return redirect("helpdesk:ticket", reference=ticket.reference)


@require_POST
@ticket_worker_required
def call_interpreter(request, pk):
    call = get_object_or_404(Call.objects.filter(queue_id__in=queue_ids_for(request.user)), pk=pk)
    form = InterpreterForm(request.POST, language=call.language)
    if form.is_valid():
        try:
            outbound.call_add_interpreter(
                call=call, actor=request.user, phone=form.cleaned_data["number"]
            )
        except ValidationError as error:
            _errors(request, error)
        else:
            messages.success(request, _("The interpreter is being called into the conversation."))
    else:
        for errors in form.errors.values():
            for text in errors:
                messages.error(request, text)
    return _back(request, "twilio_channel:desk")


def _recording_for(request, pk) -> Recording:
    recording = get_object_or_404(Recording.objects.select_related("call"), pk=pk)
    if recording.call.queue_id not in queue_ids_for(request.user):
        raise Http404
    return recording


@require_GET
@ticket_worker_required
def recording_play(request, pk):
    recording = _recording_for(request, pk)
    if recording.status != RecordingStatus.STORED or not recording.file:
        raise Http404
    response = FileResponse(recording.file.open("rb"), content_type="audio/mpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@ticket_worker_required
def recording_delete(request, pk):
    recording = _recording_for(request, pk)
    try:
        recordings.recording_delete(recording=recording, actor=request.user)
    except PermissionDenied:
        raise Http404 from None
    messages.success(request, _("The recording was deleted."))
    return _back(request, "twilio_channel:desk")


# --- public: the audio Twilio plays -------------------------------------------------------

_AUDIO_SOURCES = {
    "prompt": (VoicePrompt, "recording"),
    "menu": (MenuOption, "recording"),
    "greeting": (PhoneNumber, "greeting"),
}


@require_GET
def prompt_audio(request, source, pk, name):
    """A recorded prompt, for Twilio's <Play>. Prompts are public announcements, not personal
    data; the URL carries the file name, so it changes with every upload."""
    if source not in _AUDIO_SOURCES:
        raise Http404
    model, field = _AUDIO_SOURCES[source]
    file = getattr(get_object_or_404(model, pk=pk), field)
    if not file or PurePosixPath(file.name).name != name:
        raise Http404
    content_type = "audio/wav" if name.lower().endswith(".wav") else "audio/mpeg"
    response = FileResponse(file.open("rb"), content_type=content_type)
    response["Cache-Control"] = "public, max-age=604800, immutable"
    return response
