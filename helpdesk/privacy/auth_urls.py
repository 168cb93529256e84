"""Django's account URLs with our views in front (same names and paths, so every {% url %} and
LOGIN_URL keep working); included before django.contrib.auth.urls in config/urls.py."""

from django.urls import path

from .views import accounts

urlpatterns = [
    path("login/", accounts.LoginView.as_view(), name="login"),
    path("password_reset/", accounts.PasswordResetView.as_view(), name="password_reset"),
    path(
        "reset/<uidb64>/<token>/",
        accounts.PasswordResetConfirmView.as_view(),
        name="password_reset_confirm",
    ),
    path("password_change/", accounts.PasswordChangeView.as_view(), name="password_change"),
]
