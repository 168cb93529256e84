"""The statistics pages: thin views over the sections, exports and Startpunt services."""

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, HttpResponseBadRequest, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from . import exports, sections
from .forms import AnnualReportForm, StartpuntSessionForm, StatsFilterForm
from .models import ExportFormat, ExportKind, ExportRecord, StartpuntSession
from .selectors.tickets import counted_tickets
from .services import can_change_session, export_record, startpunt_session_save


def permission_required(permission):
    """Logged in and holding `permission`; everyone else gets 403 (never a hint of the data)."""

    def decorator(view):
        @login_required
        @wraps(view)
        def wrapper(request, *args, **kwargs):
            if not request.user.has_perm(permission):
                raise PermissionDenied
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def _query(request) -> str:
    query = request.GET.copy()
    for key in ("format", "table"):
        query.pop(key, None)
    return query.urlencode()


@permission_required("helpdesk.view_statistics")
@require_safe
def overview(request):
    form = StatsFilterForm(request.GET or None)
    scope = form.scope()
    computed = sections.compute_all(scope, user=request.user)
    return render(
        request,
        "stats/overview.html",
        {
            "form": form,
            "scope": scope,
            "computed": computed,
            "query": _query(request),
            "can_export": request.user.has_perm("helpdesk.export_statistics"),
        },
    )


@permission_required("helpdesk.view_statistics")
@require_safe
def annual_report(request):
    form = AnnualReportForm(request.GET or None)
    scope = form.scope()
    computed = sections.compute_all(scope, user=request.user)
    return render(
        request,
        "stats/annual_report.html",
        {
            "form": form,
            "scope": scope,
            "year": scope.period.start.year,
            "computed": computed,
            "headlines": [line for c in computed for line in c.headlines],
            "tickets": next((c for c in computed if c.section.key == "tickets"), None),
        },
    )


def _filename(kind: str, scope, extension: str) -> str:
    queue = f"-{scope.queue.slug}" if scope.queue else ""
    return f"infolijn-{kind}{queue}-{scope.period.start}_{scope.period.end}.{extension}"


def _filters(form: StatsFilterForm) -> dict:
    data = form.cleaned_data if form.is_valid() else {}
    return {
        "period": data.get("period", "this_year"),
        "queue": data["queue"].slug if data.get("queue") else None,
    }


@permission_required("helpdesk.export_statistics")
@require_safe
def export_tables(request, fmt):
    form = StatsFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponseBadRequest(_("These filters are not valid."))
    scope = form.scope()
    computed = sections.compute_all(scope, user=request.user)
    export_record(
        user=request.user,
        kind=ExportKind.TABLES,
        format=fmt,
        scope=scope,
        filters=_filters(form),
        row_count=exports.table_row_count(computed),
    )
    name = _filename("figures", scope, fmt)
    if fmt == ExportFormat.CSV:
        response = StreamingHttpResponse(
            exports.tables_csv(computed), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(exports.tables_xlsx(computed, scope), as_attachment=True, filename=name)


@permission_required("helpdesk.export_statistics")
@require_safe
def export_tickets(request, fmt):
    form = StatsFilterForm(request.GET or None)
    if request.GET and not form.is_valid():
        return HttpResponseBadRequest(_("These filters are not valid."))
    scope = form.scope()
    count = counted_tickets(scope).count()
    if fmt == ExportFormat.XLSX and count > exports.XLSX_MAX_ROWS:
        return HttpResponseBadRequest(
            _(
                "That is more rows than a spreadsheet holds; export as CSV or choose a shorter period."
            )
        )
    export_record(
        user=request.user,
        kind=ExportKind.TICKETS,
        format=fmt,
        scope=scope,
        filters=_filters(form),
        row_count=count,
    )
    name = _filename("tickets", scope, fmt)
    if fmt == ExportFormat.CSV:
        response = StreamingHttpResponse(
            exports.tickets_csv(scope), content_type="text/csv; charset=utf-8"
        )
        response["Content-Disposition"] = f'attachment; filename="{name}"'
        return response
    return FileResponse(exports.tickets_xlsx(scope), as_attachment=True, filename=name)


@permission_required("stats.view_exportrecord")
@require_safe
def export_log(request):
    records = ExportRecord.objects.select_related("user", "queue")[:200]
    return render(request, "stats/export_log.html", {"records": records})


@permission_required("stats.add_startpuntsession")
def startpunt(request, pk=None):
    session = None
    if pk is not None:
        session = get_object_or_404(StartpuntSession, pk=pk)
        if not can_change_session(request.user, session):
            raise PermissionDenied
    form = StartpuntSessionForm(request.POST or None, instance=session)
    if request.method == "POST" and form.is_valid():
        saved = startpunt_session_save(
            actor=request.user,
            session=session,
            date=form.cleaned_data["date"],
            volunteers_present=form.cleaned_data["volunteers_present"],
            people_informed=form.cleaned_data["people_informed"],
            flyers_handed_out=form.cleaned_data["flyers_handed_out"],
            languages=form.cleaned_data["languages"],
            topics=form.cleaned_data["topics"],
        )
        messages.success(
            request,
            _("Thank you: the morning of %(date)s is logged.")
            % {"date": date_format(saved.date, "DATE_FORMAT")},
        )
        return redirect("stats:startpunt")
    mine = StartpuntSession.objects.filter(logged_by=request.user).prefetch_related("languages")[
        :10
    ]
    return render(request, "stats/startpunt.html", {"form": form, "session": session, "mine": mine})
