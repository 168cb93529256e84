"""Texts Django 6.1 shows on our staff pages whose Dutch translation its own catalogue still lacks.

makemessages collects strings from our code only, so they are named here (this module is never
imported). Our catalogue comes before Django's (LOCALE_PATHS), so its translation fills the gap
for every language; where it is empty, Django's own translation still applies. Drop an entry
once Django's Dutch catalogue has it.
"""

from django.utils.translation import gettext_noop, ngettext_lazy, pgettext_lazy

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

# Calendar words for the languages Django ships no catalogue for (ps, ti, so). Django's date
# formats ask gettext for these (django/utils/dates.py, dateformat.py); without them a Pashto page
# would name its months in Persian, a Tigrinya page in English. Translated from Unicode CLDR, like
# the formats in config/formatting. For every other language Django's own translation applies
# (our catalogues carry the same, taken from Django's, so that they stay complete).
CALENDAR_WORDS = [
    gettext_noop("January"),
    gettext_noop("February"),
    gettext_noop("March"),
    gettext_noop("April"),
    gettext_noop("May"),
    gettext_noop("June"),
    gettext_noop("July"),
    gettext_noop("August"),
    gettext_noop("September"),
    gettext_noop("October"),
    gettext_noop("November"),
    gettext_noop("December"),
    pgettext_lazy("alt. month", "January"),
    pgettext_lazy("alt. month", "February"),
    pgettext_lazy("alt. month", "March"),
    pgettext_lazy("alt. month", "April"),
    pgettext_lazy("alt. month", "May"),
    pgettext_lazy("alt. month", "June"),
    pgettext_lazy("alt. month", "July"),
    pgettext_lazy("alt. month", "August"),
    pgettext_lazy("alt. month", "September"),
    pgettext_lazy("alt. month", "October"),
    pgettext_lazy("alt. month", "November"),
    pgettext_lazy("alt. month", "December"),
    gettext_noop("Monday"),
    gettext_noop("Tuesday"),
    gettext_noop("Wednesday"),
    gettext_noop("Thursday"),
    gettext_noop("Friday"),
    gettext_noop("Saturday"),
    gettext_noop("Sunday"),
    gettext_noop("Mon"),
    gettext_noop("Tue"),
    gettext_noop("Wed"),
    gettext_noop("Thu"),
    gettext_noop("Fri"),
    gettext_noop("Sat"),
    gettext_noop("Sun"),
    gettext_noop("AM"),
    gettext_noop("PM"),
    gettext_noop("a.m."),
    gettext_noop("p.m."),
]
