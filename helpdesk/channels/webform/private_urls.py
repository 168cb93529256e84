from django.urls import path

from . import private_views

app_name = "webform_private"

# The requester's private page, /t/<token>/ (no language prefix: the link is in mail and SMS,
# and the page speaks the language chosen on the form).
urlpatterns = [
    path("<str:token>/", private_views.private_ticket, name="ticket"),
    path("<str:token>/reply/", private_views.private_reply, name="reply"),
    path("<str:token>/answered/", private_views.private_answered, name="answered"),
    path("<str:token>/files/<int:pk>/", private_views.private_attachment, name="attachment"),
]
