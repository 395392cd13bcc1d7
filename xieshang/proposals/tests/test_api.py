"""The proposals API: the whole loop through it with token authentication, the list and its filters, query
counts, and the schema. Refusals are in test_api_refusals.py, the other transitions in test_api_actions.py.

The helpers here (``client_for``, ``url``) are imported by those files."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import yaml
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from drf_spectacular.drainage import GENERATOR_STATS
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from xieshang.ledger.models import Event
from xieshang.organisation.tests.factories import UnitFactory
from xieshang.proposals import services
from xieshang.proposals.api import api_urlpatterns
from xieshang.proposals.models import Assignment, Proposal
from xieshang.proposals.tests.factories import BODY, Cast


def client_for(user: Any) -> APIClient:
    """A client that authenticates with the user's API token and reads messages in English."""
    token, _created = Token.objects.get_or_create(user=user)
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}", HTTP_ACCEPT_LANGUAGE="en")
    return client


def url(name: str, **kwargs: int) -> str:
    return reverse(f"api:{name}", kwargs=kwargs)


def test_the_whole_loop_through_the_api(cast: Cast) -> None:
    member, cosigner, staff = client_for(cast.member), client_for(cast.cosigner), client_for(cast.staff)
    liaison, co_liaison = client_for(cast.liaison), client_for(cast.co_liaison)

    # The member drafts, invites a co-signer who signs, and submits.
    r = member.post(url("proposal-list"), {"title": "关于加快农村生活污水治理的建议", "category": "environment",
                                           **BODY}, format="json")
    assert r.status_code == 201, r.json()
    pid = r.json()["id"]
    assert (r.json()["status"], r.json()["lead_member"]["id"]) == ("draft", cast.member.member.pk)
    r = member.post(url("proposal-invite-cosigners", proposal_id=pid), {"members": [cast.cosigner.member.pk]},
                    format="json")
    assert (r.status_code, r.json()["status"], r.json()["kind"]) == (200, "cosigning", "joint")
    r = cosigner.post(url("proposal-sign", proposal_id=pid))
    assert [p["status"] for p in r.json()["proposers"]] == ["signed", "signed"]
    r = member.post(url("proposal-submit", proposal_id=pid))
    assert (r.status_code, r.json()["status"], r.json()["session"]["id"]) == (200, "submitted", cast.session.pk)

    # The proposal office finds it in the review queue, files it and assigns it.
    queue = staff.get(url("proposal-review-queue")).json()
    assert [(p["id"], p["cosigner_count"]) for p in queue["results"]] == [(pid, 2)]
    assert staff.post(url("proposal-pre-review", proposal_id=pid), {"note": "格式规范"}).json()["status"] == "review"
    r = staff.post(url("proposal-file", proposal_id=pid), {}, format="json")
    assert (r.json()["status"], r.json()["reference"]) == ("filed", "第1号")
    r = staff.post(url("proposal-assign", proposal_id=pid), {"lead": cast.unit.pk, "cohandlers": [cast.co_unit.pk]},
                   format="json")
    assert r.status_code == 200, r.json()
    assert r.json()["status"] == "handling"
    assert sorted((a["unit"]["name"], a["role"], a["status"]) for a in r.json()["assignments"]) == [
        ("县住房和城乡建设局", "co", "assigned"), ("县生态环境局", "lead", "assigned")]

    # The lead unit finds it in its inbox, accepts, meets the proposer and drafts the reply.
    inbox = liaison.get(url("proposal-assignment-list")).json()["results"]
    assert [(i["proposal"]["id"], i["role"], i["status"]) for i in inbox] == [(pid, "lead", "assigned")]
    lead_id = inbox[0]["id"]
    assert liaison.post(url("proposal-assignment-accept", assignment_id=lead_id)).json()["status"] == "handling"
    r = liaison.post(url("proposal-assignment-contact", assignment_id=lead_id),
                     {"happened_on": timezone.localdate().isoformat(), "method": "meeting",
                      "summary": "与提案人座谈，听取意见"}, format="json")
    assert (r.status_code, r.json()["method"]) == (201, "meeting")
    co_id = co_liaison.get(url("proposal-assignment-list")).json()["results"][0]["id"]
    co_liaison.post(url("proposal-assignment-accept", assignment_id=co_id))
    r = co_liaison.post(url("proposal-assignment-opinion", assignment_id=co_id), {"body": "同意主办单位意见"},
                        format="json")
    assert r.status_code == 201
    r = liaison.post(url("proposal-assignment-reply", assignment_id=lead_id), {
        "body": "经研究，答复如下……", "result_class": "A", "signatory": "局长 王某",
        "document_number": "环函〔2026〕1号", "contact_person": "张科长", "contact_phone": "0938-1234567",
    }, format="json")
    assert (r.status_code, r.json()["status"]) == (200, "draft")
    reply_id = r.json()["id"]
    seen_by_member = member.get(url("proposal-detail", proposal_id=pid)).json()
    assert all(a["replies"] == [] for a in seen_by_member["assignments"])  # a draft is the unit's business

    # The unit's leader signs it off, the co-handler co-signs, the supervising office sends it.
    r = client_for(cast.unit_leader).post(url("proposal-assignment-reply-submit", assignment_id=lead_id))
    assert r.json()["status"] == "cosigning"
    r = co_liaison.post(url("proposal-assignment-reply-cosign", assignment_id=co_id), {}, format="json")
    assert (r.json()["status"], r.json()["cosigns"][0]["signed_at"] is not None) == ("in_review", True)
    r = client_for(cast.supervisor).post(url("proposal-reply-review", reply_id=reply_id), {"approve": True},
                                         format="json")
    assert (r.json()["status"], r.json()["result_class"]) == ("sent", "A")

    # Both proposers evaluate; the proposal closes by itself.
    detail = member.get(url("proposal-detail", proposal_id=pid)).json()
    assert detail["status"] == "replied"
    lead = next(a for a in detail["assignments"] if a["role"] == "lead")
    assert [(x["id"], x["status"], x["evaluations"]) for x in lead["replies"]] == [(reply_id, "sent", [])]
    assert lead["contacts"] is None  # the unit's working file
    r = member.post(url("proposal-reply-evaluate", reply_id=reply_id), {"result": "satisfied"}, format="json")
    assert (r.status_code, r.json()["channel"]) == (201, "online")
    cosigner.post(url("proposal-reply-evaluate", reply_id=reply_id), {"result": "basically", "comment": "尚可"},
                  format="json")
    detail = member.get(url("proposal-detail", proposal_id=pid)).json()
    assert detail["status"] == "closed"
    lead = next(a for a in detail["assignments"] if a["role"] == "lead")
    assert sorted(e["result"] for e in lead["replies"][0]["evaluations"]) == ["basically", "satisfied"]
    verbs = [e["verb"] for e in detail["events"]]
    assert verbs[0] == "proposals.created" and verbs[-1] == "proposals.closed"
    assert {"proposals.submitted", "proposals.filed", "proposals.assignment_made", "proposals.replied"} <= set(verbs)

    # What the unit and staff see that the others do not.
    seen_by_unit = liaison.get(url("proposal-detail", proposal_id=pid)).json()
    unit_lead = next(a for a in seen_by_unit["assignments"] if a["role"] == "lead")
    unit_co = next(a for a in seen_by_unit["assignments"] if a["role"] == "co")
    assert [c["method"] for c in unit_lead["contacts"]] == ["meeting"]
    assert [o["body"] for o in unit_co["opinions"]] == ["同意主办单位意见"]  # the lead unit reads the opinion
    assert unit_lead["replies"][0]["evaluations"] is None
    seen_by_outsider = client_for(cast.outsider).get(url("proposal-detail", proposal_id=pid)).json()
    assert all(a["replies"] == [] and a["contacts"] is None for a in seen_by_outsider["assignments"])
    seen_by_staff = staff.get(url("proposal-detail", proposal_id=pid)).json()
    assert len(next(a for a in seen_by_staff["assignments"] if a["role"] == "lead")["replies"][0]["evaluations"]) == 2


def test_session_login_works_too(client: Any, cast: Cast) -> None:
    client.force_login(cast.member)
    r = client.post(url("proposal-list"), {"title": "会话登录的提案"}, content_type="application/json")
    assert r.status_code == 201 and r.json()["title"] == "会话登录的提案"


def test_anonymous_is_refused(client: Any, db: Any) -> None:
    assert client.get(url("proposal-list")).status_code in (401, 403)
    assert client.post(url("proposal-list"), {"title": "x"}).status_code in (401, 403)
    assert not Proposal.objects.exists()


# -- the list -------------------------------------------------------------------------------------------


@pytest.fixture
def spread(cast: Cast) -> dict[str, Proposal]:
    """A draft, a submitted one, a filed one in another category, an assigned one, and a colleague's."""
    return {
        "draft": cast.draft(title="草稿中的提案"),
        "submitted": cast.submitted(title="已提交的提案"),
        "filed": cast.filed(title="关于发展乡村旅游的建议", category="rural"),
        "assigned": cast.assigned(title="已交办的提案"),
        "colleague": cast.submitted(title="同事的提案", by=cast.outsider),
    }


def _titles(client: APIClient, **params: Any) -> set[str]:
    r = client.get(url("proposal-list"), params)
    assert r.status_code == 200, r.json()
    return {p["title"] for p in r.json()["results"]}


def test_the_list_shows_each_user_what_the_selectors_allow(cast: Cast, spread: dict[str, Proposal]) -> None:
    member = client_for(cast.member)
    assert _titles(member) == {"草稿中的提案", "已提交的提案", "关于发展乡村旅游的建议", "已交办的提案"}
    assert _titles(client_for(cast.staff)) == {"已提交的提案", "关于发展乡村旅游的建议", "已交办的提案", "同事的提案"}
    assert _titles(client_for(cast.liaison)) == {"已交办的提案"}
    # A member sees the committee's filed proposals, not a colleague's unfiled one.
    assert _titles(client_for(cast.cosigner)) == {"关于发展乡村旅游的建议", "已交办的提案"}


def test_list_filters(cast: Cast, spread: dict[str, Proposal]) -> None:
    staff, member = client_for(cast.staff), client_for(cast.member)
    assert _titles(staff, status="filed") == {"关于发展乡村旅游的建议"}
    assert _titles(staff, category="rural") == {"关于发展乡村旅游的建议"}
    assert _titles(staff, unit=cast.unit.pk) == {"已交办的提案"}
    assert _titles(staff, q="乡村旅游") == {"关于发展乡村旅游的建议"}
    assert _titles(staff, session=cast.session.pk, kind="individual") == {
        "已提交的提案", "关于发展乡村旅游的建议", "已交办的提案", "同事的提案"}
    assert _titles(staff, status="", q="") == _titles(staff)  # empty filters are no filters
    assert _titles(member, mine="true", status="submitted") == {"已提交的提案"}
    assert _titles(client_for(cast.outsider), mine="true") == {"同事的提案"}
    assert _titles(staff, overdue="true") == set()
    Assignment.objects.filter(proposal=spread["assigned"]).update(status="handling",
                                                                   reply_due=timezone.localdate() - dt.timedelta(1))
    assert _titles(staff, overdue="true") == {"已交办的提案"}


def test_imported_history_shows_and_finds_its_recorded_proposers(cast: Cast) -> None:
    # A past proposal whose proposers are not in the member directory keeps their names as recorded.
    past = cast.filed(title="关于修缮文庙的建议")
    Proposal.objects.filter(pk=past.pk).update(lead_member=None, proposer_text="王建国 李红")
    staff = client_for(cast.staff)
    assert _titles(staff, q="李红") == {"关于修缮文庙的建议"}
    item = next(p for p in staff.get(url("proposal-list")).json()["results"] if p["id"] == past.pk)
    assert (item["lead_member"], item["proposer_name"]) == (None, "王建国 李红")
    mine = cast.submitted(title="关于增设路灯的建议")
    item = next(p for p in staff.get(url("proposal-list")).json()["results"] if p["id"] == mine.pk)
    assert item["proposer_name"] == cast.member.member.name


def test_list_refuses_malformed_filters(cast: Cast) -> None:
    r = client_for(cast.staff).get(url("proposal-list"), {"session": "abc"})
    assert r.status_code == 400 and "session" in r.json()


def test_list_paginates(cast: Cast) -> None:
    for n in range(3):
        cast.draft(title=f"提案{n}")
    data = client_for(cast.member).get(url("proposal-list"), {"page_size": 2}).json()
    assert (data["count"], len(data["results"]), data["next"] is not None) == (3, 2, True)


def test_list_query_count_does_not_grow_with_the_list(cast: Cast, django_assert_max_num_queries: Any) -> None:
    staff = client_for(cast.staff)
    cast.assigned(title="第一件")
    cast.filed(title="第二件")
    with django_assert_max_num_queries(30) as small:
        assert staff.get(url("proposal-list")).json()["count"] == 2
    for n in range(4):
        cast.assigned(title=f"又一件{n}")
        cast.filed(title=f"再一件{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert staff.get(url("proposal-list")).json()["count"] == 10


def test_inbox_query_count_does_not_grow(cast: Cast, django_assert_max_num_queries: Any) -> None:
    liaison = client_for(cast.liaison)
    cast.assigned(title="第一件")
    with django_assert_max_num_queries(30) as small:
        assert liaison.get(url("proposal-assignment-list")).json()["count"] == 1
    for n in range(4):
        cast.assigned(title=f"又一件{n}")
    with django_assert_max_num_queries(len(small.captured_queries)):
        assert liaison.get(url("proposal-assignment-list")).json()["count"] == 5


def test_detail_query_count_does_not_grow_with_units_and_replies(cast: Cast, django_assert_max_num_queries: Any
                                                                  ) -> None:
    staff = client_for(cast.staff)
    small = cast.replied(title="一个单位")
    with django_assert_max_num_queries(30) as one:
        staff.get(url("proposal-detail", proposal_id=small.pk))
    large = cast.filed(title="三个单位")
    extra = [UnitFactory(committee=cast.committee) for _ in range(2)]
    services.proposal_assign(actor=cast.staff, proposal=large, separate=[cast.unit, *extra])
    for assignment in Assignment.objects.filter(proposal=large, unit=cast.unit):
        services.assignment_accept(actor=cast.liaison, assignment=assignment)
        services.contact_record(actor=cast.liaison, assignment=assignment, happened_on=timezone.localdate(),
                                method="phone", summary="电话沟通")
    with django_assert_max_num_queries(len(one.captured_queries)):
        data = staff.get(url("proposal-detail", proposal_id=large.pk)).json()
    assert len(data["assignments"]) == 3


def test_inbox_hides_finished_work_unless_asked(cast: Cast) -> None:
    proposal = cast.replied()
    liaison = client_for(cast.liaison)
    assert liaison.get(url("proposal-assignment-list")).json()["count"] == 0
    done = liaison.get(url("proposal-assignment-list"), {"include_done": "true"}).json()["results"]
    assert [(i["proposal"]["id"], i["status"]) for i in done] == [(proposal.pk, "replied")]


def test_boards_are_for_staff(cast: Cast) -> None:
    submitted = cast.submitted()
    Proposal.objects.filter(pk=submitted.pk).update(review_due=timezone.localdate() - dt.timedelta(days=1))
    board = client_for(cast.staff).get(url("proposal-overdue"))
    assert board.status_code == 200
    assert [p["id"] for p in board.json()["reviews"]] == [submitted.pk]
    for user in (cast.member, cast.liaison):
        for name in ("proposal-overdue", "proposal-review-queue"):
            r = client_for(user).get(url(name))
            assert r.status_code == 403, (user, name)
    assert client_for(cast.supervisor).get(url("proposal-review-queue")).status_code == 200


# -- the schema -----------------------------------------------------------------------------------------


def test_schema_is_valid_without_warnings_and_documents_every_endpoint(tmp_path: Any) -> None:
    GENERATOR_STATS.reset()
    target = tmp_path / "schema.yaml"
    # --fail-on-warn raises on any warning; --validate checks the result against the OpenAPI spec.
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(target))
    schema = yaml.safe_load(target.read_text())
    for route, _view, _name in api_urlpatterns:
        path = "/api/v1/" + route.replace("<int:", "{").replace(">", "}")
        assert path in schema["paths"], path
        for method, operation in schema["paths"][path].items():
            assert operation.get("summary"), f"{method} {path} has no summary"
            assert "200" in operation["responses"] or "201" in operation["responses"], f"{method} {path}"
    assert "multipart/form-data" in schema["paths"]["/api/v1/proposals/replies/{reply_id}/letter/"]["post"][
        "requestBody"]["content"]


def test_schema_endpoint_serves_the_proposals_api(client: Any, cast: Cast) -> None:
    client.force_login(cast.member)
    assert b"/api/v1/proposals/{proposal_id}/file/" in client.get(reverse("api-schema")).content


def test_every_write_leaves_an_event(cast: Cast) -> None:
    """The API adds no write of its own: what it changes, the services record."""
    before = Event.objects.count()
    r = client_for(cast.member).post(url("proposal-list"), {"title": "记录在案"}, format="json")
    assert r.status_code == 201
    assert Event.objects.count() == before + 1
    assert Event.objects.latest("id").verb == "proposals.created"
