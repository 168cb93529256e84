"""The inbox's filter form, with the codes the API speaks instead of database ids."""

from helpdesk.forms import InboxFilterForm
from helpdesk.models import RequesterType, Topic


class TicketFilterForm(InboxFilterForm):
    """Same filters, same defaults (no status and no q: the open work) as the inbox; queues,
    topics and requester types are named by slug and code, as in the API's responses."""

    def __init__(self, data, *, user):
        super().__init__(data, user=user)
        self.fields["queue"].to_field_name = "slug"
        self.fields["topic"].to_field_name = "code"
        self.fields["requester_type"].to_field_name = "code"
        self.fields["topic"].queryset = Topic.objects.all()
        self.fields["requester_type"].queryset = RequesterType.objects.all()
