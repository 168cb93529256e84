from django.urls import path, re_path

from . import views

app_name = "stats"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("annual-report/", views.annual_report, name="annual_report"),
    re_path(r"^export/figures\.(?P<fmt>csv|xlsx)$", views.export_tables, name="export_tables"),
    re_path(r"^export/tickets\.(?P<fmt>csv|xlsx)$", views.export_tickets, name="export_tickets"),
    path("exports/", views.export_log, name="export_log"),
    path("startpunt/", views.startpunt, name="startpunt"),
    path("startpunt/<int:pk>/", views.startpunt, name="startpunt_edit"),
]
