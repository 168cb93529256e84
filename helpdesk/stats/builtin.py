"""This app's own sections of the statistics page: tickets, backlog, policy signals, Startpunt."""

from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from helpdesk.models import Channel

from . import sections
from .charts import hours_label
from .formatting import listing, month_label, number, percent
from .sections import Scope, Table
from .selectors.backlog import backlog
from .selectors.policy import policy_signals
from .selectors.startpunt import startpunt_figures
from .selectors.tickets import TicketFigures, shared_ticket_figures


def when(scope: Scope) -> str:
    """ "In 2026", "In March 2026" or "From 1 February 2026 to 3 March 2026", to open a sentence."""
    period = scope.period
    if period.is_whole_year:
        return _("In %(year)s") % {"year": period.start.year}
    if period.is_whole_month:
        return _("In %(month)s") % {"month": month_label(f"{period.start:%Y-%m}")}
    return _("From %(start)s to %(end)s") % {
        "start": date_format(period.start, "DATE_FORMAT"),
        "end": date_format(period.end, "DATE_FORMAT"),
    }


def _share_table(key, title, rows, total, *, first=None) -> Table:
    return Table(
        key=key,
        title=str(title),
        columns=[str(first or title), _("Number"), _("Share (%)")],
        rows=[[r.label, r.count, round(100 * r.count / total, 1) if total else None] for r in rows],
        codes=[r.code for r in rows],
    )


def ticket_tables(f: TicketFigures, scope: Scope) -> list[Table]:
    channels = [r.code for r in f.channels]
    channel_labels = dict(Channel.choices)
    months = Table(
        key="by_month",
        title=_("Contacts by month and channel"),
        columns=[_("Month"), _("Contacts"), *[str(channel_labels.get(c, c)) for c in channels]],
        rows=[
            [
                month_label(key),
                f.by_month.get(key, 0),
                *[f.by_month_channel.get(key, {}).get(c, 0) for c in channels],
            ]
            for key in f.by_month
        ],
        codes=list(f.by_month),
    )
    overview = Table(
        key="overview",
        title=_("Overview"),
        columns=[_("Figure"), _("Number")],
        rows=[
            [_("Contacts"), f.total],
            [_("Questions"), f.questions],
            [_("Contacts that were not questions"), f.non_questions],
            [_("Questions answered"), f.answered],
            [_("Closed"), f.closed],
            [_("Reopened at least once"), f.reopened],
            [_("Policy signals"), f.policy_signals],
        ],
        codes=[
            "contacts",
            "questions",
            "non_questions",
            "answered",
            "closed",
            "reopened",
            "policy_signals",
        ],
    )
    durations = Table(
        key="response_times",
        title=_("Response times (hours)"),
        columns=[
            _("Measure"),
            _("Tickets measured"),
            _("Median"),
            _("90th percentile"),
            _("Median in opening hours"),
            _("90th percentile in opening hours"),
        ],
        rows=[
            [
                label,
                d["count"],
                d["median_hours"],
                d["p90_hours"],
                d["median_opening_hours"],
                d["p90_opening_hours"],
            ]
            for label, d in (
                (_("First response"), f.first_response.as_dict()),
                (_("Resolution"), f.resolution.as_dict()),
            )
        ],
        codes=["first_response", "resolution"],
    )
    how = Table(
        key="hour_of_week",
        title=_("Contacts by hour of the week"),
        columns=[_("Hour"), *_weekday_names()],
        rows=[
            [f"{hour:02d}", *(f.hour_of_week.get(day * 24 + hour, 0) for day in range(7))]
            for hour in range(24)
        ],
    )
    return [
        overview,
        months,
        _share_table("by_channel", _("Channel"), f.channels, f.total),
        _share_table("by_queue", _("Queue"), f.queues, f.total),
        _share_table("by_requester_type", _("Who asked"), f.requester_types, f.total),
        _share_table("by_language", _("Language"), f.languages, f.total),
        _share_table("by_topic", _("Topic"), f.topics, f.total),
        _share_table("by_outcome", _("Outcome"), f.outcomes, f.total),
        _share_table("by_referral", _("Referred to"), f.referrals, f.total),
        durations,
        how,
    ]


def _weekday_names():
    from django.utils.dates import WEEKDAYS

    return [str(WEEKDAYS[d]) for d in range(7)]


def _top(rows, total, n=3, skip=("none",)):
    chosen = [r for r in rows if r.code not in skip][:n]
    return listing(
        [
            _("%(label)s (%(share)s)") % {"label": r.label, "share": percent(r.count, total)}
            for r in chosen
        ]
    )


def ticket_headlines(f: TicketFigures, scope: Scope) -> list[str]:
    if not f.total:
        return [_("%(when)s no questions were recorded.") % {"when": when(scope)}]
    answered_total = sum(r.count for r in f.answered_by_channel)
    shares = listing(
        [
            _("%(share)s by %(channel)s")
            % {"share": percent(r.count, answered_total), "channel": r.label.lower()}
            for r in f.answered_by_channel[:4]
        ]
    )
    lines = [
        _("%(when)s we answered %(answered)s questions: %(shares)s.")
        % {"when": when(scope), "answered": number(f.answered), "shares": shares},
        _(
            "In all, %(contacts)s contacts came in; %(questions)s were questions, "
            "%(other)s were not (silent calls, hang-ups, wrong numbers, thanks)."
        )
        % {
            "contacts": number(f.total),
            "questions": number(f.questions),
            "other": number(f.non_questions),
        },
    ]
    if f.requester_types:
        lines.append(
            _("Most questions came from %(who)s.") % {"who": _top(f.requester_types, f.total)}
        )
    known_languages = [r for r in f.languages if r.code != "none"]
    if known_languages:
        lines.append(
            _("People asked in %(n)s languages, most often %(top)s.")
            % {"n": number(len(known_languages)), "top": _top(f.languages, f.total)}
        )
    if f.topics:
        lines.append(
            _("The topics asked about most were %(topics)s.") % {"topics": _top(f.topics, f.total)}
        )
    fr, res = f.first_response.as_dict(), f.resolution.as_dict()
    if fr["count"]:
        lines.append(
            _(
                "Half of the questions had a first answer within %(median)s, nine in ten within "
                "%(p90)s (%(median_open)s and %(p90_open)s counting opening hours only)."
            )
            % {
                "median": hours_label(fr["median_hours"]),
                "p90": hours_label(fr["p90_hours"]),
                "median_open": hours_label(fr["median_opening_hours"]),
                "p90_open": hours_label(fr["p90_opening_hours"]),
            }
        )
    if res["count"]:
        lines.append(
            _("Half were resolved within %(median)s, nine in ten within %(p90)s.")
            % {"median": hours_label(res["median_hours"]), "p90": hours_label(res["p90_hours"])}
        )
    referred = sum(r.count for r in f.referrals)
    if referred:
        lines.append(
            _("%(n)s questions were referred, most often to %(to)s.")
            % {"n": number(referred), "to": _top(f.referrals, referred)}
        )
    return lines


sections.register(
    sections.Section(
        key="tickets",
        title=gettext_lazy("Questions"),
        compute=shared_ticket_figures,
        template="stats/sections/tickets.html",
        tables=ticket_tables,
        headlines=ticket_headlines,
        order=10,
    )
)


def backlog_compute(scope: Scope):
    return backlog(queue=scope.queue)


def backlog_tables(b, scope: Scope) -> list[Table]:
    return [
        Table(
            key="backlog",
            title=_("Open now, by age"),
            columns=[_("Age"), _("Open tickets")],
            rows=[[label, count] for _code, label, count in b.by_age],
            codes=[code for code, _label, _count in b.by_age],
            note=_("The work open today, whatever period is chosen."),
        ),
        Table(
            key="backlog_status",
            title=_("Open now, by status"),
            columns=[_("Status"), _("Open tickets")],
            rows=[[label, count] for _code, label, count in b.by_status],
            codes=[code for code, _label, _count in b.by_status],
        ),
    ]


sections.register(
    sections.Section(
        key="backlog",
        title=gettext_lazy("Backlog"),
        compute=backlog_compute,
        template="stats/sections/backlog.html",
        tables=backlog_tables,
        summary=lambda b, scope: {"open": b.total, "by_age": {c: n for c, _l, n in b.by_age}},
        order=20,
    )
)


def policy_tables(p, scope: Scope) -> list[Table]:
    return [
        Table(
            key="policy_by_month",
            title=_("Policy signals by month"),
            columns=[_("Month"), _("Policy signals")],
            rows=[[month_label(k), n] for k, n in p.by_month.items()],
            codes=list(p.by_month),
        ),
        _share_table(
            "policy_by_topic", _("Policy signals by topic"), p.topics, p.total, first=_("Topic")
        ),
    ]


def policy_headlines(p, scope: Scope) -> list[str]:
    if not p.total:
        return []
    line = _("We raised %(n)s policy signals") % {"n": number(p.total)}
    if p.topics:
        line += _(", most about %(topics)s") % {"topics": _top(p.topics, p.total, n=2)}
    return [line + "."]


sections.register(
    sections.Section(
        key="policy",
        title=gettext_lazy("Policy signals"),
        compute=policy_signals,
        template="stats/sections/policy.html",
        tables=policy_tables,
        headlines=policy_headlines,
        summary=lambda p, scope: {
            "total": p.total,
            "by_topic": {r.code: r.count for r in p.topics},
        },
        order=80,
    )
)


def startpunt_tables(s, scope: Scope) -> list[Table]:
    return [
        Table(
            key="startpunt",
            title=_("Startpunt by month"),
            columns=[_("Month"), _("Mornings"), _("People informed")],
            rows=[[month_label(k), n, people] for k, (n, people) in s.by_month.items()],
            codes=list(s.by_month),
        ),
        _share_table(
            "startpunt_languages",
            _("Startpunt: languages spoken (mornings)"),
            s.languages,
            s.sessions,
            first=_("Language"),
        ),
        _share_table(
            "startpunt_topics",
            _("Startpunt: notable questions (mornings)"),
            s.topics,
            s.sessions,
            first=_("Topic"),
        ),
    ]


def startpunt_headlines(s, scope: Scope) -> list[str]:
    if not s.sessions:
        return []
    return [
        _(
            "At Startpunt, volunteers informed %(people)s people at the gate of the arrival "
            "centre in %(sessions)s mornings, in %(languages)s languages, and handed out "
            "%(flyers)s flyers."
        )
        % {
            "people": number(s.people_informed),
            "sessions": number(s.sessions),
            "languages": number(s.languages_covered),
            "flyers": number(s.flyers),
        }
    ]


sections.register(
    sections.Section(
        key="startpunt",
        title=gettext_lazy("Startpunt"),
        compute=startpunt_figures,
        template="stats/sections/startpunt.html",
        tables=startpunt_tables,
        headlines=startpunt_headlines,
        summary=lambda s, scope: {
            "sessions": s.sessions,
            "people_informed": s.people_informed,
            "flyers": s.flyers,
            "by_language": {r.code: r.count for r in s.languages},
        },
        order=70,
        queue_scoped=False,
    )
)
