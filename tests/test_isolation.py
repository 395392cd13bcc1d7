"""Committee isolation: an administrator of committee A walks every URL and API endpoint against the
objects of committee B and gets 404, never data. A URL with an object id this walker does not know
fails the test, so every new page must be added here."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from django.contrib import admin
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from xieshang.notifications.services import notify
from xieshang.organisation.models import Role
from xieshang.organisation.tests.factories import MemberFactory, UnitFactory, user_with_role

MARKERS = ("乙县专属委员", "乙县专属局")


def _walk(patterns: list[Any], prefix: str = "", namespace: str = "") -> Iterator[tuple[str, str, URLPattern]]:
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = f"{namespace}{p.namespace}:" if p.namespace else namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        else:
            yield prefix + str(p.pattern), f"{namespace}{p.name}" if p.name else "", p


@pytest.fixture
def b_objects(other_committee: Any) -> dict[str, Any]:
    member = MemberFactory(committee=other_committee, name=MARKERS[0])
    unit = UnitFactory(committee=other_committee, name=MARKERS[1])
    b_user = user_with_role(other_committee, Role.COMMITTEE_ADMIN)
    from django.db import transaction

    with transaction.atomic():
        note = notify(committee_id=other_committee.pk, recipients=[b_user], kind="test", title=MARKERS[0])[0]
    from xieshang.organisation.importing import import_validate
    from xieshang.organisation.tests.test_importing import UNIT_HEADERS, unit_row, upload
    from xieshang.proposals import services as proposal_services
    from xieshang.proposals.tests.factories import Cast

    story = Cast(other_committee)
    proposal = story.assigned(title=MARKERS[0] + "的提案")
    assignment = story.lead_assignment(proposal)
    reply = story.reply_ready(proposal)
    extension = proposal_services.extension_request(actor=story.liaison, assignment=assignment, reason="需要时间",
                                                    requested_due=assignment.hard_due)
    key = proposal_services.key_nominate(actor=story.staff, proposal=proposal, year=2026, reason="重要")
    proposal_services.proposal_set_disclosure(actor=story.staff, proposal=proposal, publish=True)
    answered = story.replied(title=MARKERS[0] + "已答复")
    excellent = proposal_services.excellent_nominate(actor=story.staff, proposal=answered, year=2026, reason="好")
    batch = import_validate(actor=b_user, committee=other_committee, kind="units",
                            file=upload([UNIT_HEADERS, unit_row("乙县待导入局")]))
    return {"member_id": member.pk, "unit_id": unit.pk, "notification_id": note.pk, "batch_id": batch.pk,
            "proposal_id": proposal.pk, "assignment_id": assignment.pk, "reply_id": reply.pk,
            "extension_id": extension.pk, "key_id": key.pk, "excellent_id": excellent.pk,
            "session_id": proposal.session_id, "_member": member, "_unit": unit, "_batch": batch}


OBJECT_KWARGS = {"committee_code", "member_id", "unit_id", "notification_id", "batch_id", "proposal_id",
                 "assignment_id", "reply_id", "extension_id", "key_id", "excellent_id", "session_id"}
SKIP_PREFIXES = ("manage/",)  # the back office is walked model by model below
NOT_COMMITTEE_DATA = {"password_reset_confirm"}  # a signed token, not an object id
NO_GET = {"logout", "notifications:read_all", "notifications:read", "imports:apply", "imports:discard"}


def _proposal_states(b_objects: dict[str, Any]) -> tuple[str, ...]:
    from xieshang.proposals.models import Assignment, Extension, Proposal, Reply

    return (Proposal.objects.get(pk=b_objects["proposal_id"]).status,
            Assignment.objects.get(pk=b_objects["assignment_id"]).status,
            Reply.objects.get(pk=b_objects["reply_id"]).status,
            Extension.objects.get(pk=b_objects["extension_id"]).status)


def test_every_object_url_answers_404_for_another_committee(client, committee, b_objects) -> None:
    client.force_login(user_with_role(committee, Role.COMMITTEE_ADMIN))
    proposal_states = _proposal_states(b_objects)
    checked = 0
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or not name or name in NOT_COMMITTEE_DATA:
            continue
        kwargs = set(pattern.pattern.converters)
        if not kwargs or kwargs == {"committee_code"}:  # the public site's lists: see the list test below
            continue
        unknown = kwargs - OBJECT_KWARGS
        assert not unknown, f"{name}: teach the isolation walker about {unknown}"
        # committee_code is the viewer's own committee: B's objects must not appear under A's public site.
        values = {**b_objects, "committee_code": committee.code}
        url = reverse(name, kwargs={k: values[k] for k in kwargs})
        response = client.get(url)
        if response.status_code == 405:  # an action: it must refuse the POST as not found
            response = client.post(url)
        assert response.status_code == 404, f"{url} answered {response.status_code}"
        # An API view that reads and writes one object (GET and PATCH on a detail) must refuse the write too.
        api_view = getattr(pattern.callback, "cls", None)
        for method in ("post", "patch"):
            if api_view is not None and hasattr(api_view, "get") and hasattr(api_view, method):
                assert getattr(client, method)(url).status_code == 404, f"{method.upper()} {url}"
        checked += 1
    assert checked >= 8
    batch = b_objects["_batch"]
    batch.refresh_from_db()
    assert batch.status == "validated"  # the POSTs above changed nothing
    assert _proposal_states(b_objects) == proposal_states


def test_list_pages_and_api_lists_show_nothing_of_another_committee(client, committee, b_objects) -> None:
    client.force_login(user_with_role(committee, Role.COMMITTEE_ADMIN))
    checked = 0
    for route, name, pattern in _walk(get_resolver().url_patterns):
        if route.startswith(SKIP_PREFIXES) or not name or name in NO_GET:
            continue
        if set(pattern.pattern.converters) - {"committee_code"}:
            continue
        if name in ("api-schema", "api-docs", "javascript-catalog", "set_language"):
            continue
        response = client.get(reverse(name, kwargs={"committee_code": committee.code}
                                      if "committee_code" in pattern.pattern.converters else None))
        body = response.content.decode(errors="replace")
        for marker in MARKERS:
            assert marker not in body, f"{name} shows {marker}"
        checked += 1
    assert checked >= 10


def test_back_office_answers_404_for_another_committees_rows(client, committee, b_objects) -> None:
    client.force_login(user_with_role(committee, Role.COMMITTEE_ADMIN))
    for obj in (b_objects["_member"], b_objects["_unit"]):
        opts = obj._meta
        assert opts.model in admin.site._registry
        for view in ("change", "delete", "history"):
            url = reverse(f"admin:{opts.app_label}_{opts.model_name}_{view}", args=[obj.pk])
            assert client.get(url).status_code == 404, url
        listing = client.get(reverse(f"admin:{opts.app_label}_{opts.model_name}_changelist")).content.decode()
        assert str(obj) not in listing


def test_api_detail_endpoints_answer_404(client, committee, b_objects) -> None:
    client.force_login(user_with_role(committee, Role.COMMITTEE_ADMIN))
    assert client.get(f"/api/v1/members/{b_objects['member_id']}/").status_code == 404
    assert client.get(f"/api/v1/units/{b_objects['unit_id']}/").status_code == 404


def test_search_finds_nothing_of_another_committee(client, committee, b_objects) -> None:
    from xieshang.search.indexing import rebuild_index

    rebuild_index()  # B's proposal titled with the marker, its reply, member and unit are all indexed
    b_admin = user_with_role(b_objects["_member"].committee, Role.COMMITTEE_ADMIN)
    client.force_login(b_admin)
    found = client.get(f"/api/v1/search/?q={MARKERS[0]}").json()  # B's admin finds them
    every_word = [r["kind"] for r in found["results"] if r["tier"] == "every"]
    assert found["exact"] == 5 and sorted(every_word) == ["member", "proposal", "proposal", "reply", "reply"]
    client.force_login(user_with_role(committee, Role.COMMITTEE_ADMIN))
    for marker in MARKERS:
        body = client.get(f"/search/?q={marker}").content.decode()
        # The page repeats the query itself; nothing else of B's may appear.
        assert 'data-testid="search-count">0 results<' in body and 'data-testid="search-hit"' not in body
        assert body.count(marker) == body.count(f'value="{marker}"') + body.count(f"<title>{marker} ")
        data = client.get(f"/api/v1/search/?q={marker}").json()
        assert (data["count"], data["counts"], data["results"], data["similar"]) == (0, {}, [], [])
