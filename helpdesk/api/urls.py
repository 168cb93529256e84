from django.urls import path
from drf_spectacular.views import SpectacularAPIView

from .views import lists, pages, tickets

app_name = "api"

v1 = [
    path("v1/tickets/", tickets.TicketListView.as_view(), name="tickets"),
    path("v1/tickets/<str:reference>/", tickets.TicketDetailView.as_view(), name="ticket"),
    path(
        "v1/tickets/<str:reference>/merge/", tickets.TicketMergeView.as_view(), name="ticket_merge"
    ),
    path(
        "v1/tickets/<str:reference>/messages/",
        tickets.MessageListView.as_view(),
        name="ticket_messages",
    ),
    path("v1/tickets/<str:reference>/reply/", tickets.ReplyView.as_view(), name="ticket_reply"),
    path("v1/tickets/<str:reference>/notes/", tickets.NoteView.as_view(), name="ticket_note"),
    path("v1/contacts/", lists.ContactListView.as_view(), name="contacts"),
    path("v1/contacts/<int:contact_id>/", lists.ContactDetailView.as_view(), name="contact"),
    path("v1/queues/", lists.QueueListView.as_view(), name="queues"),
    path("v1/topics/", lists.TopicListView.as_view(), name="topics"),
    path("v1/requester-types/", lists.RequesterTypeListView.as_view(), name="requester_types"),
    path("v1/outcomes/", lists.OutcomeListView.as_view(), name="outcomes"),
    path("v1/referrals/", lists.ReferralListView.as_view(), name="referrals"),
    path("v1/languages/", lists.LanguageListView.as_view(), name="languages"),
]

urlpatterns = [
    *v1,
    path("schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs/", pages.api_docs, name="docs"),
    path("tokens/", pages.token_list, name="tokens"),
    path("tokens/<int:pk>/revoke/", pages.token_revoke, name="token_revoke"),
]
