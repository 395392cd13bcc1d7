"""The committee dictionary: one for the search index and the similarity engine."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from xieshang.organisation.models import HandlingUnit, Sector
from xieshang.organisation.tests.factories import SpecialCommitteeFactory, UnitFactory
from xieshang.proposals.tests.factories import Cast
from xieshang.search import dictionary, similarity
from xieshang.search.indexing import ensure_dictionary, parse_query
from xieshang.search.text import tokens


@pytest.fixture(autouse=True)
def _fresh() -> Iterator[None]:
    dictionary.forget()
    similarity.reset()
    yield
    dictionary.forget()
    similarity.reset()


def test_units_townships_sectors_and_committees_are_its_words(committee) -> None:
    UnitFactory(committee=committee, name="县住房和城乡建设局", short_name="县住建局")
    UnitFactory(committee=committee, name="县委组织部")
    UnitFactory(committee=committee, name="滩歌镇", kind=HandlingUnit.Kind.TOWNSHIP)
    SpecialCommitteeFactory(committee=committee, name="提案委员会", short_name="提案委")
    vocabulary = dictionary.vocabulary(committee.pk)
    assert {"县住房和城乡建设局", "住房和城乡建设局", "县住建局", "住建局", "县委组织部", "组织部", "滩歌镇",
            "滩歌", "提案委员会", "提案委"} <= vocabulary.words
    sectors = list(Sector.objects.filter(committee=committee).values_list("name", flat=True))
    assert sectors and all(name.replace(" ", "") in vocabulary.words for name in sectors if len(name) >= 2)
    # Names of one unit stand for each other in a query; a township is a place for the similarity engine.
    assert set(vocabulary.aliases["住建局"]) == {"县住房和城乡建设局", "住房和城乡建设局", "县住建局"}
    assert vocabulary.places_in("关于滩歌镇古镇保护的建议") == {"滩歌"}
    assert "县住建局" in tokens("县住建局应加快老旧小区改造")


def test_the_index_and_the_similarity_engine_share_it(committee) -> None:
    UnitFactory(committee=committee, name="县交通运输局", short_name="县交通局")
    shared = dictionary.vocabulary(committee.pk)
    assert ensure_dictionary(committee.pk) is shared  # learnt once, checked with one query
    assert similarity.committee_index(committee.pk).dictionary is shared
    cast = Cast(committee)
    before = cast.draft(title="关于县乡村振兴局加强结对帮扶的建议")
    assert "县乡村振兴局" not in similarity.committee_index(committee.pk).stored(before.pk).field("text")
    # A new unit is learnt by the next search, and by the similarity engine when it next reads the
    # committee's proposals: the proposals it had read before are segmented again with it.
    UnitFactory(committee=committee, name="县乡村振兴局")
    assert ("县乡村振兴局",) in parse_query("县乡村振兴局", committee_id=committee.pk).groups[0]
    cast.draft(title="关于发展庭院经济的建议")
    index = similarity.committee_index(committee.pk)
    assert "县乡村振兴局" in index.dictionary.words and index.dictionary is dictionary.vocabulary(committee.pk)
    assert "县乡村振兴局" in index.stored(before.pk).field("text")
