"""The handling unit's screens, under /proposals/unit/ in the "proposals" namespace."""

from django.urls import URLPattern, path

from xieshang.proposals import views_unit

urlpatterns: list[URLPattern] = [
    path("", views_unit.unit_inbox, name="unit_inbox"),
    path("assignments/<int:assignment_id>/", views_unit.unit_assignment, name="unit_assignment"),
    path("assignments/<int:assignment_id>/accept/", views_unit.unit_accept, name="unit_accept"),
    path("assignments/<int:assignment_id>/object/", views_unit.unit_object, name="unit_object"),
    path("assignments/<int:assignment_id>/contact/", views_unit.unit_contact, name="unit_contact"),
    path("assignments/<int:assignment_id>/opinion/", views_unit.unit_opinion, name="unit_opinion"),
    path("assignments/<int:assignment_id>/reply/", views_unit.unit_reply, name="unit_reply"),
    path("assignments/<int:assignment_id>/submit/", views_unit.unit_submit, name="unit_submit"),
    path("assignments/<int:assignment_id>/cosign/", views_unit.unit_cosign, name="unit_cosign"),
    path("assignments/<int:assignment_id>/letter/", views_unit.unit_letter, name="unit_letter"),
    path("assignments/<int:assignment_id>/extension/", views_unit.unit_extension, name="unit_extension"),
    path("replies/<int:reply_id>/letter.pdf", views_unit.reply_letter_download, name="reply_letter_download"),
]
