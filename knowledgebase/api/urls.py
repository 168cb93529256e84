from django.urls import path

from . import views

app_name = "kb_api"

urlpatterns = [
    path("search/", views.SearchView.as_view(), name="search"),
    path("articles/", views.ArticleListView.as_view(), name="articles"),
    path("articles/<slug:slug>/", views.ArticleDetailView.as_view(), name="article"),
]
