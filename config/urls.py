from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

from helpdesk.views.health import health
from helpdesk.views.home import home

urlpatterns = [
    path("", home, name="home"),
    path("health/", health, name="health"),
    path("desk/", include("helpdesk.urls")),
    path("accounts/", include("helpdesk.privacy.auth_urls")),  # throttled login, quiet reset
    path("accounts/", include("django.contrib.auth.urls")),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    # Before "api/": the statistics and knowledge-base APIs live in their own apps.
    path("api/v1/stats/", include("helpdesk.stats.api_urls")),
    path("api/v1/kb/", include("knowledgebase.api.urls")),
    path("api/", include("helpdesk.api.urls")),
    path("channels/email/", include("helpdesk.channels.email.urls")),
    path("channels/twilio/", include("helpdesk.channels.twilio.urls")),
    path("stats/", include("helpdesk.stats.urls")),
    path("privacy/", include("helpdesk.privacy.urls")),
    path("t/", include("helpdesk.channels.webform.private_urls")),
    path("k/", include("knowledgebase.short_urls")),  # short links to articles (QR codes)
]

# Public pages carry their language in the URL (/ar/kb/, /fa/ask/), so a link keeps it.
urlpatterns += i18n_patterns(
    path("kb/", include("knowledgebase.urls")),
    path("ask/", include("helpdesk.channels.webform.urls")),
    prefix_default_language=True,
)
