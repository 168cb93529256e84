"""The pages of the API app: administrators' tokens page, and the documentation page."""

from datetime import datetime, time
from functools import wraps

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from helpdesk.api.models import ApiToken
from helpdesk.api.selectors.tokens import api_tokens
from helpdesk.api.services.tokens import api_token_create, api_token_revoke
from helpdesk.models import User


def token_admin_required(view):
    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not request.user.has_perm("api.add_apitoken"):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class TokenForm(forms.Form):
    user = forms.ModelChoiceField(
        label=gettext_lazy("Acts as"),
        queryset=User.objects.filter(is_active=True).order_by("username"),
        help_text=gettext_lazy("The token can do what this person can, in their queues; no more."),
    )
    name = forms.CharField(
        label=gettext_lazy("What it is for"),
        max_length=100,
        help_text=gettext_lazy("For example “Monthly report script”."),
    )
    expires_on = forms.DateField(
        label=gettext_lazy("Expires on"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=gettext_lazy("Leave empty for a token that works until it is revoked."),
    )

    def clean_expires_on(self):
        day = self.cleaned_data["expires_on"]
        if day and day <= timezone.localdate():
            raise ValidationError(_("Choose a day after today."))
        return day


def _render(request, form, new_token=None, status=200):
    context = {"form": form, "tokens": api_tokens(), "new_token": new_token}
    response = render(request, "api/tokens.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


@token_admin_required
def token_list(request):
    if request.method != "POST":
        return _render(request, TokenForm())
    form = TokenForm(request.POST)
    if not form.is_valid():
        return _render(request, form, status=400)
    data = form.cleaned_data
    expires_at = None
    if data["expires_on"]:
        expires_at = timezone.make_aware(datetime.combine(data["expires_on"], time.min))
    try:
        new = api_token_create(
            user=data["user"], name=data["name"], created_by=request.user, expires_at=expires_at
        )
    except ValidationError as error:
        for text in error.messages:
            form.add_error(None, text)
        return _render(request, form, status=400)
    # Shown in this response only (never in a URL, a session or a log): it cannot be seen again.
    return _render(request, TokenForm(), new_token=new)


@require_POST
@token_admin_required
def token_revoke(request, pk):
    token = get_object_or_404(ApiToken, pk=pk)
    api_token_revoke(token=token, actor=request.user)
    messages.success(
        request, _("The token %(prefix)s… no longer works.") % {"prefix": token.prefix}
    )
    return redirect("api:tokens")


def api_docs(request):
    """Swagger UI, served from our own host (static/vendor/swagger-ui), reading /api/schema/."""
    return render(request, "api/docs.html")
