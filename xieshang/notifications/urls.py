from django.urls import path

from xieshang.notifications import views

app_name = "notifications"
urlpatterns = [
    path("", views.inbox, name="inbox"),
    path("read/", views.mark_read, name="read_all"),
    path("<int:notification_id>/read/", views.mark_read, name="read"),
    path("preferences/", views.preferences, name="preferences"),
]
