"""Importing past proposals from an office's Excel or CSV ledger: upload and check, findings, import."""

from django.urls import URLPattern, path

from xieshang.proposals import views_import as views

urlpatterns: list[URLPattern] = [
    path("", views.start, name="import_start"),
    path("template.xlsx", views.template, name="import_template"),
    path("<int:batch_id>/", views.batch, name="import_batch"),
    path("<int:batch_id>/apply/", views.apply, name="import_apply"),
    path("<int:batch_id>/discard/", views.discard, name="import_discard"),
    path("<int:batch_id>/report.xlsx", views.report, name="import_report"),
]
