from django.urls import path

from .views import calls, inbox, tickets

app_name = "helpdesk"

urlpatterns = [
    path("", inbox.inbox, name="inbox"),
    path("calls/new/", calls.call_new, name="call_new"),
    path("tickets/<str:reference>/", tickets.ticket_detail, name="ticket"),
    path("tickets/<str:reference>/reply/", tickets.ticket_reply, name="ticket_reply"),
    path("tickets/<str:reference>/note/", tickets.ticket_note, name="ticket_note"),
    path("tickets/<str:reference>/status/", tickets.ticket_status, name="ticket_status"),
    path("tickets/<str:reference>/assign/", tickets.ticket_assign, name="ticket_assign"),
    path("tickets/<str:reference>/classify/", tickets.ticket_classify, name="ticket_classify"),
    path("tickets/<str:reference>/merge/", tickets.ticket_merge, name="ticket_merge"),
    path(
        "tickets/<str:reference>/private-link/reset/",
        tickets.ticket_reset_link,
        name="ticket_reset_link",
    ),
    path(
        "tickets/<str:reference>/messages/<int:message_id>/retry/",
        tickets.message_retry,
        name="message_retry",
    ),
    path("attachments/<int:pk>/", tickets.attachment_download, name="attachment"),
]
