"""The proposals app's pages, grouped by who works on them; every module shares the "proposals" namespace."""

from django.urls import include, path

from xieshang.proposals import views

app_name = "proposals"
urlpatterns = [
    path("<int:proposal_id>/", views.detail, name="detail"),
    path("assignments/<int:assignment_id>/", views.assignment, name="assignment"),
    path("", include("xieshang.proposals.urls_member")),
    path("office/", include("xieshang.proposals.urls_staff")),
    path("unit/", include("xieshang.proposals.urls_unit")),
    path("documents/", include("xieshang.proposals.urls_documents")),
    path("statistics/", include("xieshang.proposals.urls_statistics")),
    path("", include("xieshang.proposals.urls_text")),
    path("import/", include("xieshang.proposals.urls_import")),
]
