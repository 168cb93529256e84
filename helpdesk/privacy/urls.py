from django.urls import path

from .views import audit, home, rights, two_factor

app_name = "privacy"

urlpatterns = [
    path("", home.home, name="home"),
    path("audit/", audit.audit_log, name="audit"),
    path("contacts/", rights.contact_search, name="contacts"),
    path("contacts/<int:contact_id>/", rights.contact_detail, name="contact"),
    path("contacts/<int:contact_id>/rectify/", rights.contact_rectify, name="contact_rectify"),
    path("contacts/<int:contact_id>/export/", rights.contact_export, name="contact_export"),
    path("contacts/<int:contact_id>/erase/", rights.contact_erase, name="contact_erase"),
    path("two-factor/", two_factor.otp_manage, name="otp"),
    path("two-factor/setup/", two_factor.otp_setup, name="otp_setup"),
    path("two-factor/verify/", two_factor.otp_verify, name="otp_verify"),
    path("two-factor/backup-codes/", two_factor.otp_backup_codes, name="otp_backup_codes"),
    path("two-factor/off/", two_factor.otp_turn_off, name="otp_turn_off"),
]
