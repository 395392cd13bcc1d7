from django.urls import path

from xieshang.organisation import import_views as views

app_name = "imports"
urlpatterns = [
    path("", views.start, name="start"),
    # Two fixed files rather than a <kind> converter: the kind is not an object id, and reverse() picks the
    # path by its default, {% url 'imports:template' kind='units' %}.
    path("template/members.xlsx", views.template, {"kind": "members"}, name="template"),
    path("template/units.xlsx", views.template, {"kind": "units"}, name="template"),
    path("<int:batch_id>/", views.batch, name="batch"),
    path("<int:batch_id>/apply/", views.apply, name="apply"),
    path("<int:batch_id>/discard/", views.discard, name="discard"),
    path("<int:batch_id>/report.xlsx", views.report, name="report"),
]
