from django.urls import path

from . import views

app_name = "webform"

# Under the language prefix: /nl/ask/, /ar/ask/embed/?queue=legal-helpdesk&topic=dublin
urlpatterns = [
    path("", views.ask, name="ask"),
    path("thanks/", views.thanks, name="thanks"),
    path("embed/", views.embed, name="embed"),
    path("embed/thanks/", views.embed_thanks, name="embed_thanks"),
    path("opened/", views.suggestion_opened, name="opened"),
]
