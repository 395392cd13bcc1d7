from django.urls import path

from xieshang.proposals import views

app_name = "proposals"
urlpatterns = [
    path("<int:proposal_id>/", views.detail, name="detail"),
    path("assignments/<int:assignment_id>/", views.assignment, name="assignment"),
]
