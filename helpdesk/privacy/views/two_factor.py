"""Setting up and giving the second factor (an authenticator app, or a backup code)."""

from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render, resolve_url
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from helpdesk.privacy import otp
from helpdesk.privacy.forms import CodeForm


def _next(request) -> str:
    candidate = request.POST.get("next") or request.GET.get("next") or ""
    if candidate and url_has_allowed_host_and_scheme(
        candidate, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return candidate
    return resolve_url(settings.LOGIN_REDIRECT_URL)


@login_required
def otp_manage(request):
    required, enrolled = otp.second_factor_status(request.user)
    context = {
        "required": required,
        "enrolled": enrolled,
        "device": otp.app_device(request.user),
        "backup_codes_left": otp.backup_codes_left(request.user),
    }
    return render(request, "privacy/otp_manage.html", context)


@login_required
def otp_setup(request):
    """Scan the code (or type the key), then prove it works with one code from the app.

    Replacing a device (a new phone) needs a verified session: a stolen password alone must never
    be enough to register the thief's phone.
    """
    required, enrolled = otp.second_factor_status(request.user)
    if enrolled and not request.user.is_verified():
        query = urlencode({"next": request.get_full_path()})
        return redirect(f"{resolve_url('privacy:otp_verify')}?{query}")
    device = otp.pending_app_device(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        codes = otp.confirm_app_device(request, device, form.cleaned_data["code"])
        if codes is not None:
            return render(
                request, "privacy/otp_backup_codes.html", {"codes": codes, "next": _next(request)}
            )
        form.add_error(
            "code", _("That code is not right. Check that your phone's clock is correct.")
        )
    context = {
        "form": form,
        "required": required,
        "replacing": enrolled,
        "qr": otp.device_qr_data_uri(device),
        "key": otp.device_key_text(device),
        "next": _next(request),
    }
    return render(request, "privacy/otp_setup.html", context, status=400 if form.errors else 200)


@login_required
def otp_verify(request):
    if request.user.is_verified():
        return redirect(_next(request))
    required, enrolled = otp.second_factor_status(request.user)
    if not enrolled:
        return redirect("privacy:otp_setup") if required else redirect(_next(request))
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        verified, wait = otp.verify(request, form.cleaned_data["code"])
        if verified:
            return redirect(_next(request))
        if wait:
            message = ngettext(
                "Too many wrong codes. Wait %(seconds)d second and try again.",
                "Too many wrong codes. Wait %(seconds)d seconds and try again.",
                wait,
            ) % {"seconds": wait}
        else:
            message = _("That code is not right.")
        form.add_error("code", message)
    return render(
        request,
        "privacy/otp_verify.html",
        {"form": form, "next": _next(request)},
        status=400 if form.errors else 200,
    )


@require_POST
@login_required
def otp_backup_codes(request):
    if not request.user.is_verified():
        return redirect("privacy:otp_verify")
    codes = otp.regenerate_backup_codes(request.user)
    return render(
        request,
        "privacy/otp_backup_codes.html",
        {"codes": codes, "next": resolve_url("privacy:otp")},
    )


@require_POST
@login_required
def otp_turn_off(request):
    if not request.user.is_verified():
        return redirect("privacy:otp_verify")
    if otp.is_required(request.user):
        messages.error(request, _("Your role needs two-factor authentication: it stays on."))
    else:
        otp.turn_off(request.user)
        messages.success(request, _("Two-factor authentication is off."))
    return redirect("privacy:otp")
