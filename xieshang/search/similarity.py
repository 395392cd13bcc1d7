"""Similar proposals of one committee: what a member drafting a proposal should read first, and the likely
duplicates (并案) of a session under review.

A lexical engine, built in memory per committee from the proposals table, offline and in pure Python:
TF-IDF cosine over three fields,

- the **subject** (案由) without its frame (关于……的建议) and without township names: its words
  (``text.tokens``, which know the committee's dictionary) and its character bigrams;
- the **text**: the subject's words counted twice, with the words of the situation and the suggestions;
- the **characters**: single characters and character pairs of the subject and body, which meet what
  different words share (托育 and 学前教育, 污水处理 and 污水治理) and what segmentation cuts apart.

Terms found in more than ``MAX_DF`` of a committee's proposals (its boilerplate: 强化组织保障, the
openings every proposal uses, the commonest characters) are left out. A proposal's score is the sum of the
fields' cosines weighed by ``WEIGHTS``, in [0, 1].

The index of a committee is built on first use and kept per process (the ``CACHED_COMMITTEES`` most
recently used). Every lookup checks, in one index-only query, the number and the last id of the
committee's proposals, and every ``VERSION_TTL`` seconds also their last ``updated_at``: new and deleted
proposals are seen at once, edits within seconds, and only the proposals that changed are segmented again.
The segmented proposals are also kept in Django's cache, so that another process (or a restart, with a
shared cache such as Redis) does not segment them again. Nothing is stored in the database."""

from __future__ import annotations

import heapq
import math
import re
import sys
import threading
import time
from array import array
from collections import Counter, OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.core.cache import cache
from django.db.models import Count, Max, OuterRef, Q, Subquery

from xieshang.organisation.models import Committee
from xieshang.proposals.models import Proposal
from xieshang.proposals.workflow import ProposalStatus
from xieshang.search.dictionary import EMPTY, vocabulary
from xieshang.search.text import char_ngrams, normalise, tokens

# The weight of each field's cosine in a score (they add up to 1). Chosen on the labelled development set
# of bench/text/ (128 similar-proposal probes, 158 duplicate pairs; docs/text-quality.md): words alone
# (subject 0.2, text 0.8) gave similar nDCG@10 0.916, below TF-IDF over character n-grams (0.923); with
# the character field, these weights give nDCG@10 0.931, MRR 0.971 and duplicate F1 0.960, the best
# balance of the six combinations tried (subject 0.05–0.2, characters 0–0.6).
WEIGHTS = {"subject": 0.15, "text": 0.45, "chars": 0.4}

# Terms in more than this share of a committee's proposals are left out of a field, once the committee has
# MIN_DOCS_FOR_MAX_DF proposals to tell (the subject keeps all: its frame is already gone).
MAX_DF = {"text": 0.2, "chars": 0.3}
MIN_DOCS_FOR_MAX_DF = 50

# Two proposals of one session scoring at least this are offered for merging (并案) at review. From the
# labelled pairs of bench/text/ (102 duplicates, 56 near misses; docs/text-quality.md): the best F1 is at
# 0.187 (P 0.98, R 0.94, F1 0.96; 0.94 when chosen on one half and measured on the other), precision stays
# above 0.9 down to 0.126. On the demo committee 0.18 finds its seven twins (0.195–0.338) and none of the
# 13,208 other pairs of a session (at most 0.177).
DUPLICATE_THRESHOLD = 0.18

# Two subjects naming different townships are different matters however alike their words (the same
# proposal written for 洛门镇 and for 马力镇: the demo committee has dozens, scoring up to 0.83): their
# duplicate score is multiplied by this, which puts them below the threshold.
OTHER_PLACE_FACTOR = 0.15

# The drafting panel leaves out what scores below this. On the probes of bench/text/ (docs/text-quality.md)
# 0.10 is the highest minimum that loses none of the earlier proposals on the same matter (Recall@10
# 0.996): 5.6 shown on average, 68 % of them on the same or a related matter. At 0.15, 93 % are, but 4 %
# of the proposals a member should build on are gone: the panel exists to show those.
SIMILAR_MIN_SCORE = 0.10

# A query keeps its heaviest terms only: past ~64 the ranking does not change and long drafts stay fast.
MAX_QUERY_TERMS = 64

# Committee indexes kept per process (~30 MB each for 3,000 proposals): a county server holds one, a
# province server the busiest.
CACHED_COMMITTEES = 16

# Seconds between full version checks (last updated_at, a table read); the cheap check runs every time.
VERSION_TTL = 5.0

# Statuses of a session's proposals that may still be merged (workflow "merge": submitted, review, filed).
REVIEW_STATUSES = (ProposalStatus.SUBMITTED, ProposalStatus.REVIEW, ProposalStatus.FILED)

_FRAME = re.compile(r"^(关于|对于|有关)|((的)?(意见和?建议|建议|提案))$")


# Text to terms ----------------------------------------------------------------------------------------

def subject_core(title: str) -> str:
    """A normalised subject without its frame: 关于加快农村生活污水治理的建议 → 加快农村生活污水治理."""
    core = normalise(title).replace(" ", "")
    for _ in range(2):  # 关于……的建议 has a frame at both ends
        core = _FRAME.sub("", core)
    return core or normalise(title)


def proposal_body(situation: str, suggestions: str) -> str:
    """The part of a proposal's body that is indexed: the situation and the suggestions (the analysis
    mostly restates the situation)."""
    return f"{situation}\n{suggestions}"


@dataclass(frozen=True)
class Terms:
    """A subject and body, segmented once: the terms of every field, and the words units are matched on.
    Words are interned (a committee's thousands of proposals share a vocabulary of a few thousand words)."""

    core: str
    core_words: tuple[str, ...]
    core_pairs: tuple[str, ...]  # character bigrams of the core without township names
    body_words: tuple[str, ...]
    body: str = ""  # normalised, for the character field

    @classmethod
    def of(cls, title: str, body: str = "", places: Iterable[str] = ()) -> Terms:
        core = subject_core(title)
        without = core
        for place in places:
            without = without.replace(place, " ")
        pairs = [g for piece in without.split(" ") for g in char_ngrams(piece, normalised=True)]
        body = normalise(body) if body else ""
        return cls(core, tuple(sys.intern(w) for w in tokens(core, normalised=True)),
                   tuple(sys.intern(g) for g in pairs),
                   tuple(sys.intern(w) for w in tokens(body, normalised=True)) if body else (), body)

    def subject(self, places: Iterable[str] = ()) -> Counter[str]:
        """Words and bigrams of the subject. Township names are left out: two subjects do not treat the same
        matter because they name the same township (the text still counts it)."""
        gone = set(places)
        terms = Counter(w for w in self.core_words if w not in gone)
        terms.update("#" + g for g in self.core_pairs)
        return terms

    def text(self) -> Counter[str]:
        terms = Counter(self.core_words)
        for w in terms:
            terms[w] *= 2
        terms.update(self.body_words)
        return terms

    def chars(self) -> Counter[str]:
        """Single characters and character pairs of the subject and body: they meet what different words
        share (托育 and 学前教育 share 育, 污水处理 and 污水治理 share 污水) and what segmentation cuts apart."""
        chars = [c for c in f"{self.core}\n{self.body}".lower() if c.isalnum()]
        grams = Counter(chars)
        grams.update(a + b for a, b in zip(chars, chars[1:], strict=False))
        return grams

    def field(self, name: str, places: Iterable[str] = ()) -> Counter[str]:
        if name == "subject":
            return self.subject(places)
        return self.text() if name == "text" else self.chars()


# The index --------------------------------------------------------------------------------------------

def _ltf(tf: int) -> float:
    return 1.0 + math.log(tf)


class _Field:
    """One field's inverted index: term ids, document frequencies, idf, and the postings (slot, weight) of
    unit-length document vectors."""

    def __init__(self, max_df: float = 1.0) -> None:
        self.max_df = max_df
        self.vocab: dict[str, int] = {}
        self.df: list[int] = []
        self.idf: list[float] = []
        self.post_slots: list[array] = []
        self.post_weights: list[array] = []
        self.new_idf = 1.0  # the idf of a term no document had when idf was last computed
        self._inverse: dict[int, str] = {}

    def term_id(self, term: str) -> int:
        tid = self.vocab.get(term)
        if tid is None:
            tid = self.vocab[term] = len(self.df)
            self.df.append(0)
            self.idf.append(self.new_idf)
            self.post_slots.append(array("i"))
            self.post_weights.append(array("f"))
        return tid

    def inverse(self) -> dict[int, str]:
        if len(self._inverse) != len(self.vocab):
            self._inverse = {tid: term for term, tid in self.vocab.items()}
        return self._inverse

    def encode(self, terms: Counter[str]) -> tuple[array, array]:
        ids, ltf = array("i"), array("f")
        for term, tf in terms.items():
            ids.append(self.term_id(term))
            ltf.append(_ltf(tf))
        return ids, ltf

    def compute_idf(self, n_docs: int) -> None:
        cut = self.max_df * n_docs if n_docs >= MIN_DOCS_FOR_MAX_DF else n_docs + 1
        self.idf = [math.log((n_docs + 1) / (df + 1)) + 1.0 if df <= cut else 0.0 for df in self.df]
        self.new_idf = math.log(n_docs + 1) + 1.0

    def add(self, slot: int, ids: array, ltf: array) -> None:
        idf = self.idf
        weights = [w * idf[t] for t, w in zip(ids, ltf, strict=True)]
        norm = math.sqrt(sum(w * w for w in weights)) or 1.0
        for t, w in zip(ids, weights, strict=True):
            if w:
                self.post_slots[t].append(slot)
                self.post_weights[t].append(w / norm)

    def query(self, terms: Counter[str]) -> list[tuple[array, array, float]]:
        """The query's heaviest known terms as (postings slots, postings weights, query weight)."""
        weighted = []
        norm2 = 0.0
        for term, tf in terms.items():
            tid = self.vocab.get(term)
            w = _ltf(tf) * (self.idf[tid] if tid is not None else self.new_idf)
            norm2 += w * w
            if tid is not None and w and self.post_slots[tid]:
                weighted.append((w, tid))
        norm = math.sqrt(norm2) or 1.0
        top = heapq.nlargest(MAX_QUERY_TERMS, weighted)
        return [(self.post_slots[t], self.post_weights[t], w / norm) for w, t in top]

    def vector(self, ids: array, ltf: array) -> dict[int, float]:
        vec = {t: w * self.idf[t] for t, w in zip(ids, ltf, strict=True)}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        return {t: w / norm for t, w in vec.items() if w}


@dataclass
class _Doc:
    proposal_id: int
    stamp: Any
    terms: Terms
    subject: tuple[array, array] = field(default_factory=lambda: (array("i"), array("f")))
    encoded: dict[str, tuple[array, array]] = field(default_factory=dict)  # field name → (term ids, ltf)
    places: frozenset[str] = frozenset()
    alive: bool = True


class CommitteeIndex:
    """The similarity index of one committee's proposals."""

    def __init__(self, committee_id: int) -> None:
        self.committee_id = committee_id
        self.version: tuple[Any, ...] | None = None
        self.cheap: tuple[Any, ...] | None = None
        self.checked_at = 0.0
        self.lock = threading.RLock()
        self.dictionary = EMPTY
        self.memo: dict[Any, Any] = {}  # results derived from this version (duplicate pairs)
        self._reset()

    def _reset(self) -> None:
        self.fields = {name: _Field(MAX_DF.get(name, 1.0)) for name in WEIGHTS}
        self.docs: list[_Doc] = []
        self.slot_of: dict[int, int] = {}
        self.idf_docs = 0  # live documents when idf was last computed

    @property
    def size(self) -> int:
        return len(self.slot_of)

    # Keeping up with the table ---------------------------------------------------------------------

    def refresh(self, version: tuple[Any, ...]) -> None:
        stamps = dict(Proposal.objects.filter(committee_id=self.committee_id).values_list("id", "updated_at"))
        first = self.version is None
        # Units may have been added or renamed since (an import): learn their names before segmenting, and
        # when the words changed, segment every proposal again (a unit's new name must not stay cut apart in
        # the proposals read before).
        learnt = vocabulary(self.committee_id)
        relearnt = not first and learnt.key != self.dictionary.key
        self.dictionary = learnt
        current = {pid: self.docs[slot] for pid, slot in self.slot_of.items()}
        changed = [pid for pid, stamp in stamps.items()
                   if relearnt or pid not in current or current[pid].stamp != stamp]
        removed = [pid for pid in current if pid not in stamps]
        fresh = self._segment(changed, stamps, use_cache=first or relearnt)
        dead = sum(1 for d in self.docs if not d.alive) + len(removed) + sum(1 for p in changed if p in current)
        live = len(stamps)
        if first or dead > 0.2 * max(live, 1) or abs(live - self.idf_docs) > 0.2 * max(self.idf_docs, 1):
            keep = [d for pid, d in current.items() if pid in stamps and pid not in fresh]
            self._rebuild(keep + list(fresh.values()))
        else:
            for pid in removed:
                self.docs[self.slot_of.pop(pid)].alive = False
            for pid in sorted(fresh):
                if pid in self.slot_of:
                    self.docs[self.slot_of[pid]].alive = False
                self._append(self._encode(fresh[pid]))
        self.version = version
        self.memo.clear()

    def _segment(self, ids: list[int], stamps: dict[int, Any], *, use_cache: bool) -> dict[int, _Doc]:
        """Terms of the given proposals: from the shared cache when it holds them at the same stamp, else
        read and segmented."""
        if not ids:
            return {}
        cache_key = f"xieshang:similarity:{CACHE_FORMAT}:{self.committee_id}:{self.dictionary.key}"
        cached: dict[int, tuple[Any, Terms]] = (cache.get(cache_key) or {}) if use_cache else {}
        out: dict[int, _Doc] = {}
        missing = []
        for pid in ids:
            hit = cached.get(pid)
            if hit is not None and hit[0] == stamps[pid]:
                out[pid] = _Doc(pid, stamps[pid], hit[1])
            else:
                missing.append(pid)
        if missing:
            qs = Proposal.objects.filter(committee_id=self.committee_id)
            if len(missing) < 500:
                qs = qs.filter(pk__in=missing)
            wanted = set(missing)
            for pid, title, situation, suggestions in qs.values_list("id", "title", "situation", "suggestions"):
                if pid in wanted:
                    terms = Terms.of(title, proposal_body(situation, suggestions), self.dictionary.places)
                    out[pid] = _Doc(pid, stamps[pid], terms)
        if len(missing) >= PERSIST_MIN:
            everything = {**{pid: (d.stamp, d.terms) for pid, d in out.items()},
                          **{d.proposal_id: (d.stamp, d.terms) for d in self.docs if d.alive}}
            cache.set(cache_key, everything, timeout=PERSIST_SECONDS)
        return out

    def _encode(self, doc: _Doc) -> _Doc:
        places = self.dictionary.places
        doc.encoded = {name: fld.encode(doc.terms.field(name, places)) for name, fld in self.fields.items()}
        doc.places = self.dictionary.places_in(doc.terms.core)
        doc.alive = True
        return doc

    def _rebuild(self, docs: list[_Doc]) -> None:
        self._reset()
        docs = sorted(docs, key=lambda d: d.proposal_id)
        for doc in docs:
            self._encode(doc)
            self._count(doc)
        for fld in self.fields.values():
            fld.compute_idf(len(docs))
        self.idf_docs = len(docs)
        for doc in docs:
            self._place(doc)

    def _count(self, doc: _Doc) -> None:
        for name, fld in self.fields.items():
            for t in doc.encoded[name][0]:
                fld.df[t] += 1

    def _append(self, doc: _Doc) -> None:
        self._count(doc)
        self._place(doc)

    def _place(self, doc: _Doc) -> None:
        slot = len(self.docs)
        self.docs.append(doc)
        self.slot_of[doc.proposal_id] = slot
        for name, fld in self.fields.items():
            fld.add(slot, *doc.encoded[name])

    # Lookups ---------------------------------------------------------------------------------------

    def prepare(self, title: str, body: str = "") -> Terms:
        return Terms.of(title, body, self.dictionary.places)

    def stored(self, proposal_id: int | None) -> Terms | None:
        slot = self.slot_of.get(proposal_id) if proposal_id is not None else None
        return self.docs[slot].terms if slot is not None else None

    def scores(self, terms: Terms) -> list[tuple[float, float, float, int]]:
        """(score, subject cosine, text cosine, proposal id) of every proposal sharing a term, best first;
        the score weighs every field's cosine by ``WEIGHTS``."""
        n = len(self.docs)
        acc = {name: [0.0] * n for name in self.fields}
        for name, fld in self.fields.items():
            into = acc[name]
            for slots, weights, qw in fld.query(terms.field(name, self.dictionary.places)):
                for slot, w in zip(slots, weights, strict=True):
                    into[slot] += qw * w
        docs = self.docs
        ws, wt, wc = WEIGHTS["subject"], WEIGHTS["text"], WEIGHTS["chars"]
        found = [(ws * s + wt * t + wc * c, s, t, docs[i].proposal_id)
                 for i, (s, t, c) in enumerate(zip(acc["subject"], acc["text"], acc["chars"], strict=True))
                 if (s or t or c) and docs[i].alive]
        found.sort(reverse=True)
        return found

    def vectors(self, proposal_id: int) -> dict[str, dict[int, float]] | None:
        """A proposal's unit-length vector of each field by term id, with the current idf."""
        slot = self.slot_of.get(proposal_id)
        if slot is None:
            return None
        doc = self.docs[slot]
        return {name: fld.vector(*doc.encoded[name]) for name, fld in self.fields.items()}


# Segmenting 3,000 proposals takes ~8 s; keep them in the shared cache when at least this many were
# segmented at once (a first build), for this long.
PERSIST_MIN = 200
PERSIST_SECONDS = 7 * 24 * 3600
CACHE_FORMAT = 2  # bump when Terms changes, so that no process reads another's old shape

_indexes: OrderedDict[int, CommitteeIndex] = OrderedDict()
_registry = threading.Lock()


def _cheap_version(committee_id: int) -> tuple[Any, ...]:
    """Index-only: the number and last id of the committee's proposals, and when the committee was created
    (ids are reused after a rollback; the committee row tells one test database state from another)."""
    of = Proposal.objects.filter(committee_id=OuterRef("pk")).order_by().values("committee_id")
    row = Committee.objects.filter(pk=committee_id).annotate(
        n=Subquery(of.annotate(v=Count("id")).values("v")[:1]),
        last=Subquery(of.annotate(v=Max("id")).values("v")[:1]),
    ).values_list("n", "last", "created_at").first()
    return tuple(row or ())


def _full_version(committee_id: int) -> tuple[Any, ...]:
    v = Proposal.objects.filter(committee_id=committee_id).aggregate(n=Count("id"), last=Max("id"),
                                                                       changed=Max("updated_at"))
    return v["n"], v["last"], v["changed"]


def committee_index(committee_id: int) -> CommitteeIndex:
    """The committee's index, up to date with its proposals table (edits of existing proposals within
    ``VERSION_TTL`` seconds)."""
    cheap = _cheap_version(committee_id)
    with _registry:
        index = _indexes.get(committee_id)
        if index is None:
            index = _indexes[committee_id] = CommitteeIndex(committee_id)
        _indexes.move_to_end(committee_id)
        while len(_indexes) > CACHED_COMMITTEES:
            _indexes.popitem(last=False)
    with index.lock:
        now = time.monotonic()
        if index.cheap != cheap or now - index.checked_at >= VERSION_TTL:
            version = _full_version(committee_id)
            if index.version != version:
                index.refresh(version)
            index.cheap, index.checked_at = cheap, now
    return index


def reset() -> None:
    """Forget every index (tests)."""
    with _registry:
        _indexes.clear()


# Similar proposals ------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Match:
    proposal: Proposal
    score: float
    subject_score: float
    text_score: float


def ranked(*, committee_id: int, title: str, body: str = "", exclude_id: int | None = None,
           index: CommitteeIndex | None = None) -> list[tuple[float, float, float, int]]:
    """Every proposal of the committee sharing a term with the query, best first, regardless of who asks:
    (score, subject cosine, text cosine, proposal id)."""
    index = index or committee_index(committee_id)
    with index.lock:
        found = index.scores(index.prepare(title, body))
    return [f for f in found if f[3] != exclude_id]


def similar_proposals(*, committee_id: int, title: str, body: str = "", exclude_id: int | None = None,
                      limit: int = 10, user: Any = None, min_score: float = 0.0) -> list[Match]:
    """The committee's proposals most similar to a subject and body, best first. With ``user``, only the
    proposals that user may see (``proposals.selectors.visible_proposals``: a member never sees another
    member's draft). ``exclude_id`` leaves out the proposal being edited."""
    if not (title.strip() or body.strip()):
        return []
    found = [f for f in ranked(committee_id=committee_id, title=title, body=body, exclude_id=exclude_id)
             if f[0] >= min_score]
    if user is not None:
        from xieshang.proposals.selectors import visible_proposals

        base = visible_proposals(user).filter(committee_id=committee_id)
    else:
        base = Proposal.objects.filter(committee_id=committee_id)
    chosen: list[tuple[float, float, float, int]] = []
    start, chunk = 0, max(limit * 3, 30)
    while len(chosen) < limit and start < len(found):
        window = found[start:start + chunk]
        if user is not None:
            allowed = set(base.filter(pk__in=[f[3] for f in window]).values_list("pk", flat=True))
            window = [f for f in window if f[3] in allowed]
        chosen.extend(window)
        start += chunk
        chunk *= 4  # a member who may see little: widen quickly
    chosen = chosen[:limit]
    objects = base.select_related("session").in_bulk([f[3] for f in chosen]) if chosen else {}
    return [Match(objects[f[3]], round(f[0], 4), round(f[1], 4), round(f[2], 4)) for f in chosen
            if f[3] in objects]


# Duplicates at review ---------------------------------------------------------------------------------

def _pair_scores(index: CommitteeIndex, ids: Sequence[int]) -> dict[tuple[int, int], float]:
    """Scores of every pair of the given proposals that share a term (symmetric, a < b)."""
    vectors = {pid: v for pid in sorted(ids) if (v := index.vectors(pid)) is not None}
    acc: dict[tuple[int, int], float] = {}
    for part, weight in WEIGHTS.items():
        postings: dict[int, list[tuple[int, float]]] = {}
        for pid, vecs in vectors.items():
            for t, w in vecs[part].items():
                postings.setdefault(t, []).append((pid, w))
        for plist in postings.values():
            for i, (a, wa) in enumerate(plist):
                for b, wb in plist[i + 1:]:
                    acc[(a, b)] = acc.get((a, b), 0.0) + weight * wa * wb
    places = {pid: index.docs[index.slot_of[pid]].places for pid in vectors}
    for (a, b), score in acc.items():
        if places[a] and places[b] and not places[a] & places[b]:
            acc[(a, b)] = score * OTHER_PLACE_FACTOR
    return acc


def _components(ids: Iterable[int], edges: Iterable[tuple[int, int]]) -> list[list[int]]:
    parent = {i: i for i in ids}

    def find(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in edges:
        ra, rb = find(a), find(b)
        if ra != rb:
            parent[max(ra, rb)] = min(ra, rb)
    groups: dict[int, list[int]] = {}
    for i in parent:
        groups.setdefault(find(i), []).append(i)
    return [sorted(g) for g in groups.values() if len(g) > 1]


def _lead_order(p: Proposal) -> tuple[Any, ...]:
    """The proposal the others would join: a filed one first (it has a number), then the earliest."""
    return (p.status != ProposalStatus.FILED, p.number or 0, p.submitted_at or p.created_at, p.pk)


@dataclass(frozen=True)
class DuplicateGroup:
    """Proposals of one session that likely say the same thing, the suggested lead first; ``pairs`` holds
    the score of each linked pair (a < b)."""

    session_id: int | None
    proposals: list[Proposal]
    pairs: dict[tuple[int, int], float]

    @property
    def lead(self) -> Proposal:
        return self.proposals[0]

    @property
    def best(self) -> float:
        return max(self.pairs.values())

    @property
    def members(self) -> list[tuple[Proposal, float | None]]:
        """Each proposal with its score against the lead (None for the lead, or when only linked through
        another member)."""
        return [(p, None if p is self.lead else self.pairs.get((min(p.pk, self.lead.pk), max(p.pk, self.lead.pk))))
                for p in self.proposals]


def duplicate_groups_by_session(*, committee_id: int, session_ids: Iterable[int | None],
                                threshold: float = DUPLICATE_THRESHOLD) -> list[DuplicateGroup]:
    """Likely duplicates among the proposals under review or filed (submitted, review, filed) of the given
    sessions: pairs scoring at least ``threshold``, joined into connected components. One query for the
    proposals whatever the number of sessions; pair scores are kept until the committee's proposals
    change."""
    sessions = set(session_ids)
    if not sessions:
        return []
    index = committee_index(committee_id)
    where = Q(session_id__in=[s for s in sessions if s is not None])
    if None in sessions:
        where |= Q(session__isnull=True)
    members: dict[int | None, list[Proposal]] = {}
    for p in Proposal.objects.filter(where, committee_id=committee_id, status__in=REVIEW_STATUSES).select_related(
            "lead_member", "session"):
        members.setdefault(p.session_id, []).append(p)
    groups: list[DuplicateGroup] = []
    with index.lock:
        for session_id, proposals in members.items():
            ids = tuple(sorted(p.pk for p in proposals))
            pairs = index.memo.get(("pairs", ids))
            if pairs is None:
                pairs = index.memo[("pairs", ids)] = _pair_scores(index, ids)
            linked = {pair: round(s, 4) for pair, s in pairs.items() if s >= threshold}
            objects = {p.pk: p for p in proposals}
            for component in _components(ids, linked):
                inside = {pair: s for pair, s in linked.items() if pair[0] in component}
                groups.append(DuplicateGroup(session_id, sorted((objects[i] for i in component), key=_lead_order),
                                             inside))
    groups.sort(key=lambda g: (-g.best, g.lead.pk))
    return groups


def duplicate_groups(*, committee_id: int, session_id: int | None,
                     threshold: float = DUPLICATE_THRESHOLD) -> list[list[Proposal]]:
    """Likely duplicates among one session's proposals under review (submitted, review, filed): each group
    a list of proposals, the suggested lead first, the most alike group first."""
    return [g.proposals for g in duplicate_groups_by_session(committee_id=committee_id, session_ids=[session_id],
                                                             threshold=threshold)]
