"""The index: the committee dictionary, the words documents are indexed under, what each kind's document
holds, indexing after commit (and not on rollback), rebuilding, and the reindex command."""

from __future__ import annotations

import io
from collections.abc import Callable
from typing import Any

import pytest
from django.core.management import CommandError, call_command
from django.db import transaction

from xieshang.organisation.models import HandlingUnit, Role
from xieshang.organisation.services import reference_delete, reference_save
from xieshang.organisation.tests.factories import MemberFactory, UnitFactory, user_with_role
from xieshang.proposals import services
from xieshang.proposals.tests.factories import Cast
from xieshang.search.indexing import (
    _Batch,
    ensure_dictionary,
    forget_dictionaries,
    index_words,
    parse_query,
    rebuild_index,
)
from xieshang.search.models import SearchDocument


@pytest.fixture(autouse=True)
def _forget_dictionaries() -> Any:
    # Committee ids come back after a rolled-back test; the dictionary cache must not outlive one.
    forget_dictionaries()
    yield
    forget_dictionaries()


@pytest.fixture
def cast(committee) -> Cast:
    return Cast(committee)


def docs(kind: str | None = None) -> dict[tuple[str, int], SearchDocument]:
    qs = SearchDocument.objects.all() if kind is None else SearchDocument.objects.filter(kind=kind)
    return {(d.kind, d.object_id): d for d in qs}


# --- The committee dictionary ----------------------------------------------------------------------------


def test_unit_names_and_short_names_are_words_of_the_committee(committee) -> None:
    UnitFactory(committee=committee, name="县住房和城乡建设局", short_name="县住建局")
    UnitFactory(committee=committee, name="四门镇", short_name="", kind=HandlingUnit.Kind.TOWNSHIP)
    ensure_dictionary(committee.pk)
    words = index_words("请县住建局会同四门镇解决四门村道路问题")
    assert "县住建局" in words
    assert "住建局" in words  # the word inside it, so that the short form finds it
    assert "四门镇" in words
    assert "四门" in words  # the place name from the township: 四门村 is found from it


def test_a_query_for_a_unit_matches_all_its_names(committee) -> None:
    UnitFactory(committee=committee, name="县住房和城乡建设局", short_name="县住建局")
    query = parse_query("縣住建局 老舊小區", committee_id=committee.pk)  # traditional characters
    assert query.groups[0] == (("县住建局",), ("住建局",), ("住房和城乡建设局",), ("县住房和城乡建设局",))
    assert query.groups[1:] == ((("老旧",),), (("小区",),))


def test_a_compound_query_word_also_matches_its_parts_apart(committee) -> None:
    query = parse_query("农村饮水安全工程", committee_id=committee.pk)
    assert query.groups[-1] == (("安全工程",), ("安全", "工程"))
    assert query.phrases[-3:] == ("安全工程", "安全", "工程")


def test_the_dictionary_is_learnt_again_when_a_unit_changes(committee, admin_user, django_capture_on_commit_callbacks
                                                            ) -> None:
    # (The segmenter is shared by the process and may know the word from elsewhere; the committee's own
    # names for the unit are what this committee learns.)
    ensure_dictionary(committee.pk)
    assert ("县林业和草原局",) not in parse_query("县林草局", committee_id=committee.pk).groups[0]
    unit = HandlingUnit(name="县林业和草原局", short_name="县林草局", kind=HandlingUnit.Kind.GOVERNMENT_DEPT)
    with django_capture_on_commit_callbacks(execute=True):
        reference_save(actor=admin_user, instance=unit, committee_id=committee.pk)
    assert parse_query("县林草局", committee_id=committee.pk).groups[0] == (
        ("县林草局",), ("县林业和草原局",), ("林业和草原局",), ("林草局",))


def test_documents_naming_a_new_unit_are_segmented_again(cast: Cast, admin_user, django_capture_on_commit_callbacks
                                                         ) -> None:
    from xieshang.search.selectors import search

    with django_capture_on_commit_callbacks(execute=True):  # committed, and indexed
        proposal = cast.filed(title="关于县振兴局巩固脱贫成果的建议")
    before = docs()[("proposal", proposal.pk)].pk
    unit = HandlingUnit(name="县乡村振兴局", short_name="县振兴局", kind=HandlingUnit.Kind.GOVERNMENT_DEPT)
    with django_capture_on_commit_callbacks(execute=True):
        reference_save(actor=admin_user, instance=unit, committee_id=cast.committee.pk)
    after = docs()[("proposal", proposal.pk)]
    assert after.pk != before and "县振兴局" in after.title_tokens.split()  # written again, the name whole
    hits = search(user=cast.staff, query="振兴局").hits
    assert {(h.kind, h.document.object_id) for h in hits} == {("proposal", proposal.pk), ("unit", unit.pk)}


def test_sectors_and_special_committees_are_words(committee) -> None:
    from xieshang.organisation.tests.factories import SpecialCommitteeFactory

    SpecialCommitteeFactory(committee=committee, name="科教文卫体委员会", short_name="科教文卫体委")
    ensure_dictionary(committee.pk)
    assert "科教文卫体委" in index_words("请科教文卫体委牵头调研")


def test_noise_words_leave_a_query_unless_nothing_else_is_left(committee) -> None:
    assert parse_query("关于加强污水治理的建议", committee_id=committee.pk).words == ("污水", "治理")
    assert parse_query("建议", committee_id=committee.pk).words == ("建议",)
    assert not parse_query("，。！", committee_id=committee.pk)


def test_indexed_words_are_lower_case_without_punctuation_or_function_words() -> None:
    words = index_words("ＰＭ２.５的治理，和5G网络")
    assert "pm2" in words and "5" in words and "5g" in words and "网络" in words
    assert "的" not in words and "和" not in words and "，" not in words


# --- What each kind's document holds ---------------------------------------------------------------------


def test_a_proposal_document(cast: Cast) -> None:
    proposal = cast.assigned(title="關於加快農村生活污水治理的建議")  # traditional
    rebuild_index(cast.committee.pk)
    doc = docs("proposal")[("proposal", proposal.pk)]
    assert doc.committee_id == cast.committee.pk
    assert doc.title == "关于加快农村生活污水治理的建议"
    assert "管网建设资金不足" in doc.body
    assert doc.status == "handling" and doc.category == "environment"
    assert doc.session_id == proposal.session_id and doc.year == proposal.session.opens_on.year
    assert doc.unit_ids == f"|{min(cast.unit.pk, cast.co_unit.pk)}|{max(cast.unit.pk, cast.co_unit.pk)}|"
    assert doc.data["reference"] == proposal.reference and doc.data["proposer"] == proposal.lead_member.name
    assert "污水" in doc.title_tokens.split() and "农村" in doc.title_tokens.split()
    assert set(index_words(proposal.lead_member.name)) <= set(doc.tokens.split())  # found by its proposer too
    assert doc.size == len(doc.title_tokens.split()) + len(doc.tokens.split())


def test_member_documents_hold_no_contact_details(committee) -> None:
    member = MemberFactory(committee=committee, name="张三丰", work_unit="县第一中学", job_title="校长",
                           phone="13900001111", email="zs@example.com")
    rebuild_index(committee.pk)
    doc = docs("member")[("member", member.pk)]
    assert doc.title == "张三丰" and "县第一中学" in doc.body
    assert "13900001111" not in doc.body + doc.tokens and "example" not in doc.tokens


def test_every_kind_is_rebuilt_for_one_committee_only(cast: Cast, other_committee) -> None:
    cast.replied()
    other = MemberFactory(committee=other_committee)
    report = rebuild_index(cast.committee.pk)
    assert report.committees == 1
    assert report.documents == {"proposal": 1, "reply": 1, "member": 3, "unit": 3}
    assert set(SearchDocument.objects.values_list("committee_id", flat=True)) == {cast.committee.pk}
    assert ("member", other.pk) not in docs()
    # Again: the same documents, not twice as many.
    assert rebuild_index(cast.committee.pk).total == SearchDocument.objects.count() == 8


# --- Indexing after commit -------------------------------------------------------------------------------


def test_imported_history_is_found_by_its_recorded_proposers(cast: Cast) -> None:
    from xieshang.proposals.models import Proposal
    from xieshang.search.selectors import search

    past = cast.filed(title="关于修缮文庙的建议")
    Proposal.objects.filter(pk=past.pk).update(lead_member=None, proposer_text="王建国 李红")
    rebuild_index(cast.committee.pk)
    hits = search(committee_id=cast.committee.pk, query="李红").hits
    assert [(h.document.object_id, h.tier) for h in hits] == [(past.pk, "every")]
    assert hits[0].document.data["proposer"] == "王建国 李红"


def test_a_new_proposal_is_indexed_when_its_transaction_commits(cast: Cast, django_capture_on_commit_callbacks
                                                                ) -> None:
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        proposal = cast.draft(title="关于规范共享单车停放的建议")
        assert not SearchDocument.objects.exists()  # not before the commit
    assert len(callbacks) == 1  # one task for the transaction
    assert docs()[("proposal", proposal.pk)].status == "draft"


def test_a_rolled_back_change_leaves_no_document(cast: Cast, django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        cast.draft(title="关于规范共享单车停放的建议")
        raise RuntimeError("rolled back")
    assert not SearchDocument.objects.exists()


def index_on_commit(capture: Any, action: Callable[[], Any]) -> Any:
    """Run ``action`` as one transaction and then the index's after-commit callbacks only: the other
    apps' callbacks (notifications) stay unrun, as several commits in one test would confuse them."""
    with capture() as callbacks:
        result = action()
    flushes = [cb for cb in callbacks if getattr(cb, "__func__", None) is _Batch.flush]
    assert len(flushes) == 1  # one batch for the whole transaction
    flushes[0]()
    return result


def test_the_services_keep_the_document_in_step(cast: Cast, django_capture_on_commit_callbacks) -> None:
    capture = django_capture_on_commit_callbacks
    proposal = index_on_commit(capture, cast.draft)
    index_on_commit(capture, lambda: services.proposal_update(actor=cast.member, proposal=proposal,
                                                              title="关于整治城区噪音扰民的建议"))
    assert docs()[("proposal", proposal.pk)].title == "关于整治城区噪音扰民的建议"
    index_on_commit(capture, lambda: services.proposal_submit(actor=cast.member, proposal=proposal))
    assert docs()[("proposal", proposal.pk)].status == "submitted"
    index_on_commit(capture, lambda: services.proposal_file(actor=cast.staff, proposal=proposal))
    assert docs()[("proposal", proposal.pk)].status == "filed"
    index_on_commit(capture, lambda: services.proposal_assign(actor=cast.staff, proposal=proposal, lead=cast.unit))
    doc = docs()[("proposal", proposal.pk)]
    assert doc.status == "handling" and doc.unit_ids == f"|{cast.unit.pk}|"
    reply = index_on_commit(capture, lambda: cast.reply_ready(proposal))
    assert docs()[("reply", reply.pk)].status == "draft"
    index_on_commit(capture, lambda: services.reply_submit(actor=cast.unit_leader, reply=reply))
    index_on_commit(capture, lambda: services.reply_review(actor=cast.supervisor, reply=reply, approve=True))
    assert docs()[("reply", reply.pk)].status == "sent"
    assert docs()[("proposal", proposal.pk)].status == "replied"


def test_members_and_units_are_indexed_when_saved_and_forgotten_when_deleted(committee, admin_user,
                                                                             django_capture_on_commit_callbacks
                                                                             ) -> None:
    unit = HandlingUnit(name="县医疗保障局", short_name="县医保局", kind=HandlingUnit.Kind.GOVERNMENT_DEPT,
                        duties="负责医疗保险和医疗救助")
    with django_capture_on_commit_callbacks(execute=True):
        reference_save(actor=admin_user, instance=unit, committee_id=committee.pk)
    assert docs()[("unit", unit.pk)].body == "负责医疗保险和医疗救助"
    unit_id = unit.pk
    with django_capture_on_commit_callbacks(execute=True):
        reference_delete(actor=admin_user, instance=unit, committee_id=committee.pk)
    assert ("unit", unit_id) not in docs()


def test_the_excel_import_indexes_what_it_creates(committee, django_capture_on_commit_callbacks) -> None:
    from xieshang.organisation.importing import import_apply, import_validate
    from xieshang.organisation.tests.test_importing import UNIT_HEADERS, unit_row, upload

    actor = user_with_role(committee, Role.COMMITTEE_ADMIN)
    batch = import_validate(actor=actor, committee=committee, kind="units",
                            file=upload([UNIT_HEADERS, unit_row("县数据局")]))
    with django_capture_on_commit_callbacks(execute=True):
        import_apply(actor=actor, batch=batch, only_valid=False)
    unit = HandlingUnit.objects.get(committee=committee, name="县数据局")
    assert docs()[("unit", unit.pk)].title == "县数据局"


# --- The command -----------------------------------------------------------------------------------------


def test_search_reindex_rebuilds_one_committee_or_all(cast: Cast, other_committee) -> None:
    cast.submitted()
    MemberFactory(committee=other_committee)
    out = io.StringIO()
    call_command("search_reindex", "--committee", cast.committee.code, stdout=out)
    assert out.getvalue().startswith(
        "indexed 7 documents of 1 committee(s) (1 proposal, 0 reply, 3 member, 3 unit) in ")
    out = io.StringIO()
    call_command("search_reindex", stdout=out)
    assert "of 2 committee(s)" in out.getvalue()
    assert SearchDocument.objects.filter(committee=other_committee, kind="member").count() == 1


def test_search_reindex_refuses_an_unknown_committee(db) -> None:
    with pytest.raises(CommandError, match="No committee with the code 'nowhere'"):
        call_command("search_reindex", "--committee", "nowhere", stdout=io.StringIO())
