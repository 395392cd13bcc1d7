"""Ranking. The same fixtures give the same order on SQLite (``make test``) and PostgreSQL
(``make test-postgres``): both are checked against the order worked out by hand and against BM25
computed here from the stored words, so the test holds on whichever database runs it."""

from __future__ import annotations

import math
from typing import Any

import pytest
from django.db import connection

from xieshang.proposals.tests.factories import Cast
from xieshang.search.indexing import ParsedQuery, forget_dictionaries, index_objects, parse_query
from xieshang.search.models import SearchDocument
from xieshang.search.selectors import PAGE_SIZE, SearchFilters, search

# (key, title, situation, analysis, suggestions). 污水 appears: A in its title only; B three times in a
# short body; C once in a long body; D once in a short body; the fillers never (so that 污水 is in fewer
# than half of the documents and keeps a positive idf).
TEXTS = [
    ("A", "关于治理城区污水的建议", "城区管网老化。", "资金不足。", "加大投入。"),
    ("B", "关于改善人居环境的建议", "村里污水多，污水没有处理，污水影响环境。", "缺少设施。", "建设设施。"),
    ("C", "关于做好乡村建设的建议",
     "我县乡村建设取得一定成效，道路、饮水、电力、通信等基础设施逐步完善，村容村貌明显改善，群众满意度提高。",
     "但仍有短板：部分村庄管网不全，污水收集不到位，垃圾清运不及时，公共服务水平不高，人才短缺问题突出。",
     "建议统筹规划，分类推进，健全长效管护机制，加大资金投入，引导群众参与，持续提升乡村建设水平。"),
    ("D", "关于保护河道的建议", "河边有污水。", "监管薄弱。", "加强巡查。"),
    ("E", "关于发展特色农业的建议", "花椒产业规模小。", "品牌不响。", "培育龙头企业。"),
    ("F", "关于加强校园安全的建议", "校园周边交通拥堵。", "设施不足。", "增设护栏。"),
    ("G", "关于完善养老服务的建议", "农村老人多。", "服务不足。", "建设互助幸福院。"),
    ("H", "关于规范共享单车的建议", "单车乱停放。", "管理缺位。", "划定停放区。"),
    ("I", "关于推进全民健身的建议", "健身场地少。", "投入不足。", "建设健身步道。"),
    ("J", "关于加强电信诈骗防范的建议", "诈骗案件多发。", "宣传不够。", "加强宣传。"),
]


@pytest.fixture(autouse=True)
def _forget_dictionaries() -> Any:
    forget_dictionaries()
    yield
    forget_dictionaries()


@pytest.fixture
def cast(committee) -> Cast:
    return Cast(committee)


@pytest.fixture
def corpus(cast: Cast) -> dict[str, int]:
    """Proposal ids by key; only these ten documents are in the index."""
    ids = {}
    for key, title, situation, analysis, suggestions in TEXTS:
        ids[key] = cast.draft(title=title, situation=situation, analysis=analysis, suggestions=suggestions).pk
    index_objects(("proposal", pk) for pk in ids.values())
    return ids


def bm25(query: ParsedQuery, *, some: bool = False) -> dict[int, float]:
    """BM25 over the stored words, as FTS5 computes it (k1 1.2, b 0.75, a title word counts ten times, idf
    floored at 1e-6, document length = words of title and body, a sum over the query's phrases), for the
    documents that match every group of the query; with ``some``, for those that match some of its groups
    but not all (the second tier, scored over the distinct words)."""
    docs = list(SearchDocument.objects.all())
    n_docs, avgdl = len(docs), sum(d.size for d in docs) / len(docs)
    scores = {}
    for d in docs:
        title, body, score = d.title_tokens.split(), d.tokens.split(), 0.0
        for w in query.words if some else query.phrases:
            hits = sum(1 for x in docs if w in x.title_tokens.split() or w in x.tokens.split())
            idf = max(math.log((n_docs - hits + 0.5) / (hits + 0.5)), 1e-6)
            f = 10.0 * title.count(w) + body.count(w)
            score += idf * ((f * 2.2) / (f + 1.2 * (0.25 + 0.75 * d.size / avgdl)))
        matched = [any(all(w in title or w in body for w in alternative) for alternative in group)
                   for group in query.groups]
        every = all(matched)
        if (not some and every) or (some and not every and any(matched)):
            scores[d.object_id] = score
    return scores


def expected_order(query: ParsedQuery) -> list[tuple[int, float]]:
    """Every word's matches by BM25, then — for a query of several words with fewer than a page of those —
    the documents having some of the words, by theirs."""
    def best_first(scores: dict[int, float]) -> list[tuple[int, float]]:
        return sorted(scores.items(), key=lambda item: (-item[1], -item[0]))

    exact = best_first(bm25(query))
    if len(query.groups) > 1 and len(exact) < PAGE_SIZE:
        return exact + best_first(bm25(query, some=True))
    return exact


def ranked(query: str, committee_id: int, **filters: Any) -> list[tuple[int, float]]:
    """The engines' results (BM25): the first two tiers, without the similarity engine's third."""
    results = search(committee_id=committee_id, query=query, filters=SearchFilters(**filters), limit=50)
    return [(h.document.object_id, h.score) for h in results.hits if h.tier != "related"]


def test_the_premises_of_the_hand_worked_order(corpus: dict[str, int]) -> None:
    docs = {d.object_id: d for d in SearchDocument.objects.all()}
    a, b, c, d = (docs[corpus[k]] for k in "ABCD")
    assert (a.title_tokens.split().count("污水"), a.tokens.split().count("污水")) == (1, 0)
    assert b.tokens.split().count("污水") == 3
    assert c.tokens.split().count("污水") == d.tokens.split().count("污水") == 1
    assert c.size > 3 * d.size


def test_a_title_match_first_then_frequency_then_the_shorter_text(corpus: dict[str, int], committee) -> None:
    order = [pk for pk, _score in ranked("污水", committee.pk)]
    assert order == [corpus["A"], corpus["B"], corpus["D"], corpus["C"]]


@pytest.mark.parametrize("query", ["污水", "污水 管网", "建设 设施", "资金不足", "乡村建设 污水 群众", "资金 资金不足"])
def test_both_engines_score_bm25_exactly(corpus: dict[str, int], committee, query: str) -> None:
    expected = expected_order(parse_query(query, committee_id=committee.pk))
    got = ranked(query, committee.pk)
    assert [pk for pk, _s in got] == [pk for pk, _s in expected]
    for (_pk, score), (_pk2, want) in zip(got, expected, strict=True):
        assert score == pytest.approx(want, rel=1e-9)


def test_traditional_and_simplified_queries_find_the_same(corpus: dict[str, int], committee) -> None:
    assert ranked("汙水", committee.pk) == ranked("污水", committee.pk)
    assert ranked("鄉村建設", committee.pk) == ranked("乡村建设", committee.pk)
    assert ranked("ＰＭ", committee.pk) == ranked("pm", committee.pk) == []


def test_when_no_document_has_every_word_those_with_some_are_returned(corpus: dict[str, int], committee) -> None:
    results = search(committee_id=committee.pk, query="污水 火星")
    assert results.partial
    assert [h.document.object_id for h in results.hits] == [corpus[k] for k in "ABDC"]
    assert not search(committee_id=committee.pk, query="污水").partial


def test_fewer_than_a_page_with_every_word_are_followed_by_those_with_some(corpus: dict[str, int], committee) -> None:
    results = search(committee_id=committee.pk, query="污水 管网")
    # A and C have both words, B and D only 污水: they come after, best first, marked as partial.
    assert (results.exact, results.total, results.partial) == (2, 4, True)
    assert [(h.document.object_id, h.tier) for h in results.hits] == [
        (corpus["A"], "every"), (corpus["C"], "every"), (corpus["B"], "some"), (corpus["D"], "some")]
    # A page that straddles the two tiers, and pages of one, give the same order.
    one_by_one = [search(committee_id=committee.pk, query="污水 管网", limit=1, offset=i).hits for i in range(4)]
    straddling = search(committee_id=committee.pk, query="污水 管网", limit=2, offset=1).hits
    assert [hits[0].document.object_id for hits in one_by_one] == [h.document.object_id for h in results.hits]
    assert [h.document.object_id for h in straddling] == [corpus["C"], corpus["B"]]
    assert search(committee_id=committee.pk, query="污水 管网", limit=5, offset=4).hits == []
    # The type filter counts the tiers of its kind only.
    assert search(committee_id=committee.pk, query="污水 管网", filters=SearchFilters(type="member")).total == 0


def test_the_second_tier_takes_a_query_word_whole_or_by_all_its_parts(corpus: dict[str, int], committee) -> None:
    # 资金不足 is a group: 资金不足, or 资金 and 不足 together. C speaks of 资金 only, I of 不足 only: a part
    # alone is not some of the query's words.
    some = [h.document.object_id for h in search(committee_id=committee.pk, query="资金不足 火星", limit=50).hits
            if h.tier == "some"]
    assert some == [corpus["A"]]
    assert corpus["C"] in [h.document.object_id for h in search(committee_id=committee.pk, query="资金 火星").hits]


def test_proposals_close_to_the_query_without_its_words_come_last(corpus: dict[str, int], cast: Cast,
                                                                  committee) -> None:
    heating = cast.draft(title="关于做好冬季集中供热和保暖的建议", situation="室内温度不达标。")
    warmth = cast.draft(title="关于解决城区供暖不达标问题的建议", situation="部分小区供暖温度低。")
    index_objects(("proposal", p.pk) for p in (heating, warmth))
    results = search(committee_id=committee.pk, query="供暖")
    # 集中供热和保暖 lacks the word 供暖 but shares its characters: the similarity engine brings it after the
    # match.
    assert [(h.document.object_id, h.tier) for h in results.hits] == [(warmth.pk, "every"), (heating.pk, "related")]
    assert (results.exact, results.total, results.counts) == (1, 2, {"proposal": 2})
    assert results.hits[1].title_html == "关于做好冬季集中供热和保暖的建议"  # no word to mark
    # Within what the user may see and the filters, like the others.
    assert search(user=cast.outsider, query="供暖").total == 0  # drafts: only their proposer sees them
    assert [h.tier for h in search(user=cast.member, query="供暖").hits] == ["every", "related"]
    assert search(committee_id=committee.pk, query="供暖", filters=SearchFilters(type="reply")).total == 0
    assert search(committee_id=committee.pk, query="供暖", filters=SearchFilters(category="education")).total == 0
    # Paged like the others: the related proposal alone on the second page.
    assert [h.tier for h in search(committee_id=committee.pk, query="供暖", limit=1, offset=1).hits] == ["related"]


def test_similar_titles_on_postgresql_only(corpus: dict[str, int], committee) -> None:
    from xieshang.search.backends import Scope, get_backend
    from xieshang.search.indexing import parse_query

    query = parse_query("城区污水整治", committee_id=committee.pk)
    similar = get_backend().similar_titles(Scope.of(committee.pk, SearchDocument.objects.all()), query, limit=5)
    if connection.vendor != "postgresql":
        assert similar == []
        return
    assert [d.object_id for d in similar] == [corpus["A"]]
    # Through the selector: only when the words found little, and never what the page lists already.
    results = search(committee_id=committee.pk, query="城区整治 火星")
    assert results.partial and results.total == 1 and results.hits[0].document.object_id == corpus["A"]
    assert corpus["A"] not in [h.document.object_id for h in results.similar]
    assert search(committee_id=committee.pk, query="污水 火星").similar == []  # four found: enough


def test_results_come_a_page_at_a_time(corpus: dict[str, int], committee) -> None:
    first = search(committee_id=committee.pk, query="污水", limit=2)
    second = search(committee_id=committee.pk, query="污水", limit=2, offset=2)
    assert first.total == second.total == 4
    assert [h.document.object_id for h in first.hits + second.hits] == [corpus[k] for k in "ABDC"]


def test_highlighting_escapes_the_text_and_marks_the_words(committee) -> None:
    cast = Cast(committee)
    proposal = cast.draft(title="关于<b>污水</b>的建议", situation="A&B：" + "前文" * 100 + "污水处理厂<script>")
    index_objects([("proposal", proposal.pk)])
    hit = search(committee_id=committee.pk, query="污水").hits[0]
    assert hit.title_html == "关于&lt;b&gt;<mark>污水</mark>&lt;/b&gt;的建议"
    assert hit.snippet_html.startswith("…") and len(hit.snippet_html) < 300
    assert "<mark>污水</mark>处理厂&lt;script&gt;" in hit.snippet_html
    assert "<script>" not in hit.snippet_html
