from django.urls import path

from . import views

app_name = "email_channel"

urlpatterns = [
    path("inbound/<slug:provider>/", views.inbound_webhook, name="inbound_webhook"),
]
