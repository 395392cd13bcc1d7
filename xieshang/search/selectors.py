"""Searching, within what a user may see. ``search`` is the one call (pages, API, benchmarks):

    results = search(user=request.user, query="县住建局 污水", filters=SearchFilters(type="proposal"))
    results.total, results.counts, results.hits  # hits: ranked, with highlighted title and snippet

Every search is confined to one committee first (the user's), then to the documents each kind's
``visible(user)`` allows (for proposals ``proposals.selectors.visible_proposals``), then to the filters.
The documents having every word come first; when they are fewer than a page, those having only some of
the words follow, then the proposals close to the query without its words (``ResultList`` has the tiers).
On PostgreSQL, titles that merely resemble the query are offered besides (``similar``)."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Q, QuerySet
from django.http import Http404
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from xieshang.search.backends import Match, Scope, get_backend
from xieshang.search.indexing import ParsedQuery, kinds, parse_query
from xieshang.search.models import SearchDocument

PROPOSAL = "proposal"  # the kind the third tier adds
PAGE_SIZE = 20
SNIPPET_CHARS = 120
# The third tier: proposals the similarity engine (character and word TF-IDF) finds close to the query
# although they lack its words (供暖 → 集中供热, 公共厕所 → 公厕). At most this many, scoring at least this
# much. On the queries of bench/text (docs/text-quality.md) the tier lifts Recall@10 from 0.943 to 0.975;
# 0.03 keeps all but one of the relevant proposals that 0.02 brings, with half the others (47 shown over
# 58 queries, 11 relevant, against 104 and 14); at 0.05 the tier is nearly empty.
RELATED_LIMIT = 10
RELATED_MIN_SCORE = 0.03
SIMILAR_BELOW = 3  # fewer exact results than this: look for similar titles too
FILTER_FIELDS = ("type", "session", "status", "unit", "category", "year")


@dataclass(frozen=True)
class SearchFilters:
    type: str = ""  # a registered kind: proposal, reply, member, unit …
    session: int | None = None
    status: str = ""
    unit: int | None = None
    category: str = ""
    year: int | None = None


@dataclass
class Hit:
    """One result: the document with its link, facts and highlighted (already escaped) text."""

    document: SearchDocument
    url: str
    facts: list[str]
    title_html: SafeString
    snippet_html: SafeString
    score: float
    tier: str = "every"  # every word / only "some" of them / "related" (close without the words)

    @property
    def partial(self) -> bool:
        return self.tier != "every"

    @property
    def kind(self) -> str:
        return self.document.kind

    @property
    def kind_label(self) -> str:
        kind = kinds().get(self.document.kind)
        return str(kind.item_label) if kind else self.document.kind


@dataclass
class SearchResults:
    query: ParsedQuery
    filters: SearchFilters
    total: int = 0
    counts: dict[str, int] = field(default_factory=dict)  # by kind, whatever the type filter
    hits: list[Hit] = field(default_factory=list)
    exact: int = 0  # results having every word; those after them have only some
    partial: bool = False  # some results have only some of the words
    similar: list[Hit] = field(default_factory=list)


def _committee_of(user: Any) -> int:
    if not user.is_authenticated or user.committee_id is None or not user.role_codes:
        raise Http404
    return user.committee_id


def _visible(user: Any | None, kind_names: Iterable[str]) -> Q:
    """Each kind's documents this user may see, through the owning app's selectors; everything of the
    committee for a trusted caller that passes no user."""
    registered = kinds()
    q = Q(pk__in=[])
    for name in kind_names:
        q |= Q(kind=name) & (Q() if user is None else registered[name].visible(user))
    return q


def _filtered(qs: QuerySet[SearchDocument], f: SearchFilters) -> QuerySet[SearchDocument]:
    if f.session:
        qs = qs.filter(session_id=f.session)
    if f.status:
        qs = qs.filter(status=f.status)
    if f.unit:
        qs = qs.filter(unit_ids__contains=f"|{int(f.unit)}|")
    if f.category:
        qs = qs.filter(category=f.category)
    if f.year:
        qs = qs.filter(year=f.year)
    return qs


def _pattern(words: Iterable[str]) -> re.Pattern[str] | None:
    ordered = sorted({w for w in words if w}, key=len, reverse=True)  # longest first: 县住建局 before 住建
    return re.compile("|".join(re.escape(w) for w in ordered), re.IGNORECASE) if ordered else None


def highlight(text: str, words: Iterable[str], *, width: int | None = None) -> SafeString:
    """The text, HTML-escaped, with the query's words in <mark>; with ``width``, only a window of that
    many characters around the first match (or the start of the text when no word is in it)."""
    pattern = _pattern(words)
    if width is not None:
        first = pattern.search(text) if pattern else None
        start = max(0, first.start() - width // 4) if first else 0
        end = min(len(text), start + width)
        start = max(0, min(start, end - width))
        text = ("…" if start else "") + text[start:end].replace("\n", " ") + ("…" if end < len(text) else "")
    if pattern is None:
        return mark_safe(escape(text))  # noqa: S308 - escaped just here
    spans: list[list[int]] = []
    for m in pattern.finditer(text):
        if spans and spans[-1][1] == m.start():
            spans[-1][1] = m.end()  # 公交 and 站台 side by side: one mark for 公交站台
        else:
            spans.append([m.start(), m.end()])
    out, last = [], 0
    for start, end in spans:
        out += [escape(text[last:start]), "<mark>", escape(text[start:end]), "</mark>"]
        last = end
    out.append(escape(text[last:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text was escaped above


def _hit(doc: SearchDocument, words: tuple[str, ...], *, tier: str = "every") -> Hit:
    kind = kinds()[doc.kind]
    return Hit(document=doc, url=kind.url(doc), facts=kind.facts(doc), title_html=highlight(doc.title, words),
               snippet_html=highlight(doc.body, words, width=SNIPPET_CHARS), score=float(doc.score), tier=tier)


class ResultList:
    """A search's ranked results, counted once and fetched a page at a time: Django's ``Paginator`` (and
    DRF's) take it as their object list.

    Up to three tiers, each best first:

    1. the documents having every word of the query (BM25);
    2. when those are fewer than a page (over all kinds) and the query has several words, the documents
       having only some of them, each whole or by all its parts (BM25): 大学生返乡创业 finds 大学生回乡创业;
    3. when the first two are still fewer than a page, the proposals that the similarity engine (the
       drafting panel's TF-IDF over words and characters) finds close to the query although they lack its
       words: 供暖 finds 集中供热, 公共厕所 finds 公厕.

    ``exact`` counts the first tier; every hit says its tier."""

    def __init__(self, *, user: Any | None = None, committee_id: int | None = None, query: str,
                 filters: SearchFilters | None = None) -> None:
        if (user is None) == (committee_id is None):
            raise ValueError("search: pass either a user or, for trusted callers, a committee id")
        self.committee_id = _committee_of(user) if user is not None else committee_id
        self.filters = f = filters or SearchFilters()
        self.parsed = parse_query(query, committee_id=self.committee_id)
        registered = kinds()
        if f.type and f.type not in registered:
            self.parsed = ParsedQuery(text=self.parsed.text, groups=())  # an unknown type finds nothing
        names = [f.type] if f.type else list(registered)
        # The committee first: nothing below can reach another committee's documents.
        every_kind = SearchDocument.objects.filter(committee_id=self.committee_id)
        every_kind = _filtered(every_kind.filter(_visible(user, registered)), f)
        # Compiled once for the counts and the page.
        self._all = Scope.of(self.committee_id, every_kind)
        self._base = Scope.of(self.committee_id, every_kind.filter(kind__in=names)) if f.type else self._all
        self._titled = every_kind.filter(kind__in=[n for n in names if registered[n].similar_titles])
        self._backend = get_backend()
        self.counts: dict[str, int] = {}
        self.exact = 0  # results (of the chosen type) having every word: the first tier
        self._some = 0  # results (of the chosen type) having only some words: the second tier
        self._related: list[SearchDocument] = []  # the third tier, whole (a few proposals)
        self.total = 0
        if not self.parsed:
            return
        exact_counts = self._backend.counts(self._all, Match(self.parsed))
        self.counts = dict(exact_counts)
        # Each tier is decided over all kinds, so that every tab counts the same way. A query of one word has
        # no second tier: its parts alone (公共 of 公共厕所, 达标 of 不达标) say too little; the third finds
        # what is close to it.
        found = sum(exact_counts.values())
        second_tier = len(self.parsed.groups) > 1 and found < PAGE_SIZE
        if second_tier:
            some = self._backend.counts(self._all, Match(self.parsed, any_group=True, lacking_some=True))
            for kind, n in some.items():
                self.counts[kind] = self.counts.get(kind, 0) + n
            self._some = sum(n for k, n in some.items() if k in names)
        if sum(self.counts.values()) < PAGE_SIZE and PROPOSAL in registered:
            listed = Match(self.parsed, any_group=True) if second_tier else Match(self.parsed)
            self._related = self._related_proposals(every_kind, listed=listed)
            if self._related:
                self.counts[PROPOSAL] = self.counts.get(PROPOSAL, 0) + len(self._related)
        self.exact = sum(n for k, n in exact_counts.items() if k in names)
        if PROPOSAL not in names:
            self._related = []
        self.total = self.exact + self._some + len(self._related)

    def _related_proposals(self, every_kind: QuerySet[SearchDocument], *, listed: Match) -> list[SearchDocument]:
        """The third tier: proposals close to the query in the similarity engine, within the scope (the
        user's visibility and the filters), that the first two tiers (``listed``) do not hold."""
        from xieshang.search.similarity import ranked

        close = [(score, pid) for score, _subject, _text, pid in
                 ranked(committee_id=self.committee_id, title=self.parsed.text) if score >= RELATED_MIN_SCORE]
        if not close:
            return []
        close = close[:RELATED_LIMIT * 5]  # room for what the scope leaves out
        with_words = Scope.of(self.committee_id, every_kind.filter(kind=PROPOSAL,
                                                                   object_id__in=[pid for _s, pid in close]))
        known = {d.object_id for d in self._backend.page(with_words, listed, limit=len(close), offset=0)}
        docs = {d.object_id: d for d in every_kind.filter(kind=PROPOSAL, object_id__in=[
            pid for _s, pid in close if pid not in known])}
        chosen = []
        for score, pid in close:
            if pid in docs:
                docs[pid].score = score
                chosen.append(docs[pid])
        return chosen[:RELATED_LIMIT]

    @property
    def partial(self) -> bool:
        """Some results lack some of the words (they come after ``exact``)."""
        return self.total > self.exact

    def count(self) -> int:
        return self.total

    def __len__(self) -> int:
        return self.total

    def __getitem__(self, index: slice) -> list[Hit]:
        if not isinstance(index, slice) or index.step not in (None, 1):
            raise TypeError("search results are read a page (a slice) at a time")
        start, stop = index.start or 0, min(index.stop if index.stop is not None else self.total, self.total)
        if not self.parsed or stop <= start:
            return []
        hits: list[Hit] = []
        tiers = ((Match(self.parsed), self.exact, "every"),
                 (Match(self.parsed, any_group=True, lacking_some=True), self._some, "some"))
        first = 0  # where the tier starts in the whole list
        for match, size, tier in tiers:
            lo, hi = max(start, first), min(stop, first + size)
            if lo < hi:
                docs = self._backend.page(self._base, match, limit=hi - lo, offset=lo - first)
                hits += [_hit(doc, self.parsed.words, tier=tier) for doc in docs]
            first += size
        lo, hi = max(start, first), stop
        hits += [_hit(doc, self.parsed.words, tier="related") for doc in self._related[lo - first:hi - first]]
        return hits

    def similar(self, *, exclude: Iterable[Hit] = (), limit: int = 5) -> list[Hit]:
        """Titles resembling the query, when its words found little, all of them or some (PostgreSQL's
        trigrams)."""
        if not self.parsed or self.total >= SIMILAR_BELOW:
            return []
        seen = {(h.document.kind, h.document.object_id) for h in exclude}
        docs = self._backend.similar_titles(Scope.of(self.committee_id, self._titled), self.parsed,
                                            limit=limit + len(seen))
        return [_hit(d, self.parsed.words) for d in docs if (d.kind, d.object_id) not in seen][:limit]


def search(*, user: Any | None = None, committee_id: int | None = None, query: str,
           filters: SearchFilters | None = None, limit: int = PAGE_SIZE, offset: int = 0) -> SearchResults:
    """Search the user's committee for ``query`` within what the user may see (a user without a role in
    a committee gets ``Http404``). A trusted caller (a command, a benchmark) may pass ``committee_id``
    instead of ``user`` to search everything of that committee.

    ``query`` is normalised and segmented like the index (traditional characters, full-width letters and
    the committee's unit names included); ``filters`` narrow by type (kind), session, state, unit,
    category and year. Returns the total, the counts by kind (whatever the type filter), ``limit``
    results from ``offset``, best first (BM25), with highlighted titles and snippets, and — when few
    results were found on the first page — similar titles (PostgreSQL only)."""
    results = ResultList(user=user, committee_id=committee_id, query=query, filters=filters)
    hits = results[offset:offset + limit]
    similar = results.similar(exclude=hits) if offset == 0 else []
    return SearchResults(query=results.parsed, filters=results.filters, total=results.total,
                         counts=results.counts, hits=hits, exact=results.exact, partial=results.partial,
                         similar=similar)


@dataclass
class FilterOptions:
    sessions: list[Any]
    statuses: list[tuple[str, str]]
    units: list[Any]
    categories: list[tuple[str, str]]
    years: list[int]


def filter_options(*, user: Any) -> FilterOptions:
    """What the filters offer: the committee's sessions, units, categories and years (three queries)."""
    from xieshang.organisation.models import HandlingUnit, PlenarySession
    from xieshang.proposals.workflow import ProposalStatus
    from xieshang.ruleset.selectors import rules_for

    committee_id = _committee_of(user)
    sessions = list(PlenarySession.objects.filter(committee_id=committee_id).select_related("term")
                    .order_by("-opens_on"))
    units = list(HandlingUnit.objects.filter(committee_id=committee_id).only("id", "name", "kind")
                 .order_by("kind", "name"))
    categories = [(c["code"], c["label"]) for c in rules_for(committee_id=committee_id)["proposal.categories"]]
    years = sorted({s.opens_on.year for s in sessions}, reverse=True)
    return FilterOptions(sessions=sessions, statuses=list(ProposalStatus.choices), units=units,
                         categories=categories, years=years)
