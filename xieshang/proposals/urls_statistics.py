"""Proposal statistics: the page and the same figures as a spreadsheet."""

from django.urls import URLPattern, path

from xieshang.proposals import views_statistics

urlpatterns: list[URLPattern] = [
    path("", views_statistics.statistics, name="statistics"),
    path("export.xlsx", views_statistics.statistics_xlsx, name="statistics_xlsx"),
]
