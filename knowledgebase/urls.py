from django.urls import path

from .views import public, staff

app_name = "knowledgebase"

urlpatterns = [
    path("", public.home, name="home"),
    path("search/", public.search, name="search"),
    path("c/<slug:slug>/", public.category, name="category"),
    path("staff/translations/", staff.translations, name="translations"),
    path("staff/reviews/", staff.reviews, name="reviews"),
    path("<slug:slug>/translate/<str:language>/", staff.translate, name="translate"),
    path("<slug:slug>/", public.article, name="article"),
]
