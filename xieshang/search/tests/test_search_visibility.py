"""Nobody finds what they may not read: another member's draft, a reply not yet sent, another unit's
proposals, another committee's anything. The documents a search may return are exactly those the owning
app's selectors let the user reach."""

from __future__ import annotations

from typing import Any

import pytest
from django.http import Http404

from xieshang.organisation.models import Role
from xieshang.organisation.tests.factories import user_with_role
from xieshang.proposals import services
from xieshang.proposals.models import Reply
from xieshang.proposals.selectors import reply_get_for_user, visible_proposals
from xieshang.proposals.tests.factories import Cast
from xieshang.search.indexing import forget_dictionaries, kinds, rebuild_index
from xieshang.search.models import SearchDocument
from xieshang.search.selectors import SearchFilters, search


@pytest.fixture(autouse=True)
def _forget_dictionaries() -> Any:
    forget_dictionaries()
    yield
    forget_dictionaries()


class Story:
    """One committee's proposals in the states that matter for who may read what."""

    def __init__(self, committee: Any) -> None:
        self.cast = cast = Cast(committee)
        self.leader = user_with_role(committee, Role.LEADER)
        self.draft = cast.draft(title="关于治理噪音扰民的建议")  # the member's, unsubmitted
        self.assigned = cast.assigned(title="关于整治违规停车的建议")  # lead: cast.unit, co: cast.co_unit
        self.elsewhere = cast.filed(title="关于改造农贸市场的建议")
        services.proposal_assign(actor=cast.staff, proposal=self.elsewhere, lead=cast.other_unit)
        lead = cast.lead_assignment(self.assigned)
        services.assignment_accept(actor=cast.liaison, assignment=lead)
        self.unsent = services.reply_save_draft(actor=cast.liaison, assignment=lead, body="拟新建立体停车库缓解停车难")
        self.answered = cast.replied(title="关于增设公交站台的建议")
        self.sent = Reply.objects.get(assignment__proposal=self.answered)
        rebuild_index(committee.pk)

    def users(self) -> dict[str, Any]:
        c = self.cast
        return {"member": c.member, "cosigner": c.cosigner, "outsider": c.outsider, "staff": c.staff,
                "supervisor": c.supervisor, "liaison": c.liaison, "unit_leader": c.unit_leader,
                "co_liaison": c.co_liaison, "co_leader": c.co_leader, "other_liaison": c.other_liaison,
                "leader": self.leader}


@pytest.fixture
def story(committee) -> Story:
    return Story(committee)


def found(user: Any, query: str, **filters: Any) -> set[tuple[str, str]]:
    results = search(user=user, query=query, filters=SearchFilters(**filters), limit=100)
    return {(h.kind, h.document.title) for h in results.hits}


def test_a_draft_is_found_by_its_proposer_only(story: Story) -> None:
    c = story.cast
    assert found(c.member, "噪音扰民") == {("proposal", "关于治理噪音扰民的建议")}
    for user in (c.outsider, c.cosigner, c.staff, c.liaison, story.leader):
        assert found(user, "噪音扰民") == set()


def test_a_reply_not_yet_sent_is_found_by_its_unit_and_the_offices_only(story: Story) -> None:
    c = story.cast
    unsent = ("reply", "关于整治违规停车的建议")
    for user in (c.liaison, c.unit_leader, c.staff, c.supervisor):
        assert unsent in found(user, "立体停车库"), user
    for user in (c.member, c.outsider, story.leader, c.other_liaison):
        assert {kind for kind, _title in found(user, "立体停车库")} <= {"proposal"}, user


def test_a_sent_reply_is_found_by_whoever_reads_its_proposal(story: Story) -> None:
    c = story.cast
    sent = ("reply", "关于增设公交站台的建议")
    for user in (c.member, c.outsider, story.leader, c.liaison, c.staff):
        assert sent in found(user, "公交站台", type="reply"), user
    assert found(c.other_liaison, "公交站台") == set()


def test_a_unit_finds_only_the_proposals_assigned_to_it(story: Story) -> None:
    c = story.cast
    assert found(c.other_liaison, "建议", type="proposal") == {("proposal", "关于改造农贸市场的建议")}
    assert found(c.liaison, "建议", type="proposal") == {("proposal", "关于整治违规停车的建议"),
                                                        ("proposal", "关于增设公交站台的建议")}
    assert found(c.co_liaison, "建议", type="proposal") == {("proposal", "关于整治违规停车的建议")}


def test_members_and_units_are_found_by_every_role(story: Story) -> None:
    c = story.cast
    for user in story.users().values():
        assert ("unit", c.other_unit.name) in found(user, c.other_unit.name), user


def test_search_documents_match_the_proposals_selectors_for_every_user(story: Story) -> None:
    """The visibility of proposals and replies in search is the proposals app's, for every role."""
    c = story.cast
    # A reply with co-handlers waiting for their signatures: drafts shown to the co-signing units too.
    cosigning = c.assigned(title="关于建设智慧停车场的建议")
    draft = c.reply_ready(cosigning)
    services.reply_submit(actor=c.unit_leader, reply=draft)
    rebuild_index(c.committee.pk)
    documents = SearchDocument.objects.filter(committee=c.committee)
    replies = list(Reply.objects.filter(assignment__committee=c.committee))
    assert {r.status for r in replies} == {"draft", "cosigning", "sent"}
    for name, user in story.users().items():
        proposal_kind, reply_kind = kinds()["proposal"], kinds()["reply"]
        searchable = set(documents.filter(kind="proposal").filter(proposal_kind.visible(user)).values_list(
            "object_id", flat=True))
        assert searchable == set(visible_proposals(user).values_list("pk", flat=True)), name
        searchable = set(documents.filter(kind="reply").filter(reply_kind.visible(user)).values_list(
            "object_id", flat=True))
        readable = set()
        for reply in replies:
            try:
                reply_get_for_user(user=user, reply_id=reply.pk)
                readable.add(reply.pk)
            except Http404:
                pass
        assert searchable == readable, name


def test_a_committee_never_finds_another_committees_documents(story: Story, other_committee) -> None:
    theirs = Story(other_committee)
    mine = story.cast
    for user in story.users().values():
        for query in ("停车", "建议", "公交站台", theirs.cast.other_unit.name, theirs.cast.member.member.name):
            results = search(user=user, query=query, limit=100)
            committees = {h.document.committee_id for h in results.hits + results.similar}
            assert committees <= {mine.committee.pk}, (user, query)
    # Not even by writing or asking for another committee's mark of its words.
    from xieshang.search.backends import mark

    services.proposal_update(actor=theirs.cast.member, proposal=theirs.draft,
                             situation=f"{mark(mine.committee.pk)}噪音 {mark(other_committee.pk)}噪音")
    rebuild_index(other_committee.pk)
    assert search(user=theirs.cast.member, query=f"{mark(mine.committee.pk)}噪音").total == 1
    for query in (f"{mark(mine.committee.pk)}噪音", f"{mark(other_committee.pk)}噪音", "噪音"):
        assert {h.document.committee_id for h in search(committee_id=mine.committee.pk, query=query).hits} <= {
            mine.committee.pk}


def test_someone_without_a_role_in_a_committee_searches_nothing(story: Story, committee) -> None:
    from xieshang.organisation.tests.factories import UserFactory

    nobody = UserFactory(committee=committee)
    with pytest.raises(Http404):
        search(user=nobody, query="停车")
