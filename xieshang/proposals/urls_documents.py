"""Downloads of official documents (.docx) and lists (.xlsx), under /proposals/documents/."""

from django.urls import URLPattern, path

from xieshang.proposals import views_documents as views

urlpatterns: list[URLPattern] = [
    path("<int:proposal_id>/form.docx", views.document_form, name="document_form"),
    path("replies/<int:reply_id>/letter.docx", views.document_reply, name="document_reply"),
    path("sessions/<int:session_id>/compilation.docx", views.document_compilation, name="document_compilation"),
    path("list.xlsx", views.export_list, name="export_list"),
    path("inbox.xlsx", views.export_inbox, name="export_inbox"),
    path("overdue.xlsx", views.export_overdue, name="export_overdue"),
]
