"""Short links to hand an article to someone (/k/<code>/), outside the language prefix."""

from django.urls import path

from .views.public import short_link

urlpatterns = [
    path("<str:code>/", short_link, name="kb_short"),
    path("<str:code>/<str:language>/", short_link, name="kb_short_language"),
]
