from django.urls import path

from xieshang.ruleset import views

app_name = "ruleset"
urlpatterns = [
    path("", views.rules_page, name="rules"),
    path("calendar/", views.calendar_page, name="calendar"),
]
