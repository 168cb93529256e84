"""Django's login and password views, with our forms and an audit trail."""

from django.contrib.auth import views as auth_views

from helpdesk.privacy.audit import AuditAction, audit_record
from helpdesk.privacy.auth import LoginForm, QuietPasswordResetForm


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True


class PasswordResetView(auth_views.PasswordResetView):
    form_class = QuietPasswordResetForm


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            actor=form.user,
            action=AuditAction.PASSWORD_RESET,
            target=form.user,
            request=self.request,
        )
        return response


class PasswordChangeView(auth_views.PasswordChangeView):
    def form_valid(self, form):
        response = super().form_valid(form)
        audit_record(
            actor=self.request.user,
            action=AuditAction.PASSWORD_CHANGED,
            target=self.request.user,
            request=self.request,
        )
        return response
