from django.urls import URLPattern, path

from xieshang.proposals import views_staff as v

urlpatterns: list[URLPattern] = [
    path("review/", v.review_queue, name="review_queue"),
    path("review/file/", v.file_bulk, name="file_bulk"),
    path("<int:proposal_id>/pre-review/", v.pre_review, name="pre_review"),
    path("<int:proposal_id>/file/", v.file, name="file"),
    path("<int:proposal_id>/not-file/", v.not_file, name="not_file"),
    path("<int:proposal_id>/merge/", v.merge, name="merge"),
    path("<int:proposal_id>/return/", v.return_for_revision, name="return"),
    path("assignment/", v.assignment_board, name="assignment_board"),
    path("<int:proposal_id>/assign/", v.assign, name="assign"),
    path("decisions/", v.decisions, name="decisions"),
    path("objections/<int:assignment_id>/decide/", v.decide_objection, name="decide_objection"),
    path("extensions/<int:extension_id>/decide/", v.decide_extension, name="decide_extension"),
    path("<int:proposal_id>/close/", v.close, name="close"),
    path("<int:proposal_id>/rehandle/", v.rehandle, name="rehandle"),
    path("<int:proposal_id>/implemented/", v.implemented, name="implemented"),
    path("<int:proposal_id>/disclosure/", v.disclosure, name="disclosure"),
    path("overdue/", v.overdue, name="overdue"),
    path("supervision/", v.supervision, name="supervision"),
    path("replies/<int:reply_id>/review/", v.review_reply, name="review_reply"),
    path("key/", v.key_list, name="key_list"),
    path("<int:proposal_id>/key/", v.key_nominate, name="key_nominate"),
    path("<int:proposal_id>/excellent/", v.excellent_nominate, name="excellent_nominate"),
    path("excellent/<int:excellent_id>/decide/", v.excellent_decide, name="excellent_decide"),
    path("key/<int:key_id>/select/", v.key_step, {"step": "select"}, name="key_select"),
    path("key/<int:key_id>/plan/", v.key_step, {"step": "plan"}, name="key_plan"),
    path("key/<int:key_id>/activity/", v.key_step, {"step": "activity"}, name="key_activity"),
    path("key/<int:key_id>/report/", v.key_step, {"step": "report"}, name="key_report"),
]
