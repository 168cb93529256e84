"""Texts Django 6.1 shows on our staff pages whose Dutch translation its own catalogue still lacks.

makemessages collects strings from our code only, so they are named here (this module is never
imported). Our catalogue comes before Django's (LOCALE_PATHS), so its translation fills the gap
for every language; where it is empty, Django's own translation still applies. Drop an entry
once Django's Dutch catalogue has it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy

DJANGO_GAPS = [
    # The empty choice of every optional model-backed <select> (BLANK_CHOICE_LABEL, new in 6.1).
    gettext_noop("- Select an option -"),
    # The admin, which coordinators use as Settings.
    gettext_noop("Filter by %(field_name)s"),
    gettext_noop("Search %(name)s"),
    gettext_noop("Pagination %(name)s"),
    gettext_noop("Pagination %(name)s entries"),
    gettext_noop("Forgotten your login credentials?"),
    gettext_noop("Logout"),
    ngettext_lazy("…and %(count)d more object.", "…and %(count)d more objects.", "count"),
]
