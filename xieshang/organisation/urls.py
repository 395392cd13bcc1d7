from django.urls import path

from xieshang.organisation import views

app_name = "organisation"
urlpatterns = [
    path("members/", views.member_list, name="member_list"),
    path("members/<int:member_id>/", views.member_detail, name="member_detail"),
    path("units/", views.unit_list, name="unit_list"),
    path("units/<int:unit_id>/", views.unit_detail, name="unit_detail"),
    path("party/", views.party_coverage, name="party_coverage"),
    path("platform/committees/", views.committee_create_view, name="committee_create"),
]
