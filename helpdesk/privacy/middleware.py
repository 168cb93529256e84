"""Request-level protection: the second factor, idle sessions, and safe response headers."""

import time
from urllib.parse import urlencode

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.views import redirect_to_login
from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import Resolver404, resolve, reverse
from django.utils.cache import patch_cache_control
from django.utils.translation import gettext as _

from helpdesk.privacy import otp
from helpdesk.privacy.audit import AuditAction, audit_record, request_context

LAST_SEEN_KEY = "privacy_last_seen"
LOGGED_IN_KEY = "privacy_logged_in"
# Writing the session on every request would be wasteful: "last seen" is kept to the minute.
LAST_SEEN_RESOLUTION = 60

# Pages a logged-in person may reach before the second factor: logging in and out, setting it
# up or giving it, resetting a password, switching the page language.
OPEN_BEFORE_SECOND_FACTOR = {
    "login",
    "logout",
    "password_reset",
    "password_reset_done",
    "password_reset_confirm",
    "password_reset_complete",
    "set_language",
    "privacy:otp_setup",
    "privacy:otp_verify",
}


def _view_name(request) -> str:
    try:
        return resolve(request.path_info).view_name
    except Resolver404:
        return ""


def _wants_json(request) -> bool:
    return request.path_info.startswith("/api/") or "application/json" in request.headers.get(
        "Accept", ""
    )


class TwoFactorMiddleware:
    """Ends sessions left idle, and sends anyone who must give a second factor (or set one up)
    there before any other page. The admin and the API are covered like every other page."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = request.user
        if user.is_authenticated:
            if response := self._end_if_expired(request):
                return response
            step = otp.next_step(request)
            if step and _view_name(request) not in OPEN_BEFORE_SECOND_FACTOR:
                if _wants_json(request):
                    return JsonResponse(
                        {"detail": _("Two-factor authentication is required.")}, status=403
                    )
                target = reverse(f"privacy:otp_{step}")
                if request.method == "GET":
                    target += "?" + urlencode({"next": request.get_full_path()})
                return redirect(target)
        return self.get_response(request)

    def _end_if_expired(self, request):
        """Log out a session idle for SESSION_IDLE_TIMEOUT, or older than SESSION_COOKIE_AGE.

        Writing "last seen" saves the session, which would push Django's own expiry forward at
        every write; the login time kept beside it holds the working day to its length.
        """
        session = request.session
        now = int(time.time())
        last_seen = session.get(LAST_SEEN_KEY)
        logged_in = session.setdefault(LOGGED_IN_KEY, now)
        if last_seen is not None and now - last_seen > settings.SESSION_IDLE_TIMEOUT:
            why, text = "idle", _("You were logged out after a while without activity.")
        elif now - logged_in > settings.SESSION_COOKIE_AGE:
            why, text = "age", _("Your session ended: please log in again.")
        else:
            if last_seen is None or now - last_seen >= LAST_SEEN_RESOLUTION:
                session[LAST_SEEN_KEY] = now
            return None
        audit_record(
            actor=request.user,
            action=AuditAction.SESSION_EXPIRED,
            target=request.user,
            request=request,
            details={"why": why},
        )
        request.privacy_session_expired = True
        logout(request)
        messages.info(request, text)
        if _wants_json(request):
            return JsonResponse({"detail": _("The session has expired.")}, status=401)
        return redirect_to_login(request.get_full_path())


class PrivacyMiddleware:
    """Innermost: lets the audit log know the request's address and user, and hardens responses.

    - A download (Content-Disposition: attachment) gets a sandboxing CSP of its own and is never
      cached: an uploaded file cannot run in our origin even if a browser renders it.
    - Pages for a logged-in person are never stored by the browser or a proxy, so the back button
      on a shared computer shows no ticket after logging out.
    - Browser features no page uses (camera, microphone, location...) are switched off.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        with request_context(request):
            response = self.get_response(request)
        if response.get("Content-Disposition", "").startswith("attachment"):
            response.headers.setdefault(
                "Content-Security-Policy", "default-src 'none'; sandbox; frame-ancestors 'none'"
            )
            response.headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
            patch_cache_control(response, private=True, no_store=True)
        elif "Cache-Control" not in response and request.user.is_authenticated:
            patch_cache_control(response, private=True, no_store=True)
        if settings.PERMISSIONS_POLICY:
            response.headers.setdefault("Permissions-Policy", settings.PERMISSIONS_POLICY)
        return response
