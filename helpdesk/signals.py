"""What the services announce, after the transaction commits.

Receivers (acknowledgement mail, outgoing webhooks, search suggestions, ...) live with the app
that cares and connect in its ready(). Each receiver gets ids and primitive values, looks up what
it needs, and does slow work in a task.
"""

from django.dispatch import Signal

# ticket_id
ticket_created = Signal()
# ticket_id, message_id, direction
message_added = Signal()
# ticket_id, old, new (status codes)
ticket_status_changed = Signal()
# ticket_id, fields (names of what changed)
ticket_changed = Signal()
