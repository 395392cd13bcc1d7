from django.urls import URLPattern, path

from xieshang.proposals import views_member as v

urlpatterns: list[URLPattern] = [
    path("", v.proposal_list, name="list"),
    path("new/", v.proposal_create, name="create"),
    path("check/", v.proposal_check, name="check"),
    path("<int:proposal_id>/edit/", v.proposal_edit, name="edit"),
    path("<int:proposal_id>/invite/", v.proposal_invite, name="invite"),
    path("<int:proposal_id>/sign/", v.proposal_sign, name="sign"),
    path("<int:proposal_id>/submit/", v.proposal_submit, name="submit"),
    path("<int:proposal_id>/withdraw/", v.proposal_withdraw, name="withdraw"),
    path("replies/<int:reply_id>/evaluate/", v.reply_evaluate, name="evaluate"),
]
