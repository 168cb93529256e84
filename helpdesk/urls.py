from django.urls import path

from .answer import views as answer
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
    # Answering with the knowledge base (helpdesk/answer/).
    path("tickets/<str:reference>/kb/", answer.answer_panel, name="answer_panel"),
    path("tickets/<str:reference>/kb/compose/", answer.answer_compose, name="answer_compose"),
    path("tickets/<str:reference>/kb/missing/", answer.missing_article, name="missing_article"),
    path("kb/backlog/", answer.backlog, name="kb_backlog"),
    path("kb/gaps/", answer.gap_report, name="kb_gaps"),
]
