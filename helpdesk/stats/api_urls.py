from django.urls import path

from .api import SummaryView

app_name = "stats_api"

urlpatterns = [path("summary/", SummaryView.as_view(), name="summary")]
