"""Text pages of the proposals app: the drafting panel of similar proposals."""

from django.urls import URLPattern, path

from xieshang.proposals import views_text as v

urlpatterns: list[URLPattern] = [
    path("similar/", v.proposal_similar, name="similar"),
]
