"""Building the search index: what each kind of document contains, the committee's dictionary, how text
becomes the words the engines index and query, and when documents are written.

- **Kinds.** Each app registers the kinds of document it owns with ``register_kind`` (a ``DocumentKind``
  names how to build its documents from the app's rows, who may see them, and where a result links to).
  Proposals, replies, members and handling units are registered below; public-opinion items and
  consultation outcomes will register theirs from their own apps (docs/search.md).
- **Dictionary.** ``ensure_dictionary(committee_id)`` teaches the segmenter the committee's unit names and
  short names, townships and the place names in them, sectors and special committees, so that 县住建局 is
  one word, both when indexing and when reading a query. It is cached per process and learnt again when
  the units, sectors or special committees change.
- **When.** A service that changes what a document shows calls ``index_after_commit`` (or
  ``index_instance_after_commit``) inside its transaction; the documents are rebuilt from the committed
  rows after commit, in one task per transaction (Celery when a broker is configured, in-process
  otherwise). A rolled-back change indexes nothing. ``rebuild_index`` rebuilds everything
  (``manage.py search_reindex``).
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from django.db import connection, models, transaction
from django.db.models import Exists, OuterRef, Prefetch, Q
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.functional import Promise
from django.utils.translation import gettext, pgettext_lazy
from django.utils.translation import gettext_lazy as _

from xieshang.search.dictionary import _PREFIXES, Vocabulary, forget, vocabulary
from xieshang.search.models import SearchDocument
from xieshang.search.text import STOPWORDS, normalise, segmenter, tokens

logger = logging.getLogger(__name__)

# --------------------------------------------------------------------------------------------------------
# Words as the engines see them
# --------------------------------------------------------------------------------------------------------

# Both engines split words on anything that is not a letter or a digit (FTS5's unicode61, PostgreSQL's
# parser); splitting first on the same rule makes them see exactly the words we give them.
_NON_WORD = re.compile(r"[\W_]+")
# The index keeps domain words that the similarity measures treat as noise (建议, 加强, 关于 …): a search
# for them must find something. Only single-character function words and numerals are left out, since
# nearly every document has them.
INDEX_STOPWORDS = frozenset(w for w in STOPWORDS if len(w) == 1)
MAX_QUERY_WORDS = 12


def _engine_words(words: Iterable[str]) -> list[str]:
    out: list[str] = []
    for word in words:
        out.extend(part for part in _NON_WORD.split(word) if part)
    return out


def _with_subwords(words: list[str]) -> list[str]:
    """jieba's search mode: a long word is indexed with the dictionary words inside it (生活污水 also as
    污水; 县住建局 also as 住建局), so that a query for the shorter word finds it. A query word's parts are
    only an alternative to the whole word, taken together (``parse_query``)."""
    # The process-wide jieba tokenizer holds the dictionary frequencies; text.py keeps it private.
    freq = segmenter()._tokenizer.FREQ
    out: list[str] = []
    for word in words:
        n = len(word)
        if n > 2:
            out.extend(g for i in range(n - 1) if freq.get(g := word[i:i + 2]) and g not in INDEX_STOPWORDS)
        if n > 3:
            out.extend(g for i in range(n - 2) if freq.get(g := word[i:i + 3]) and g not in INDEX_STOPWORDS)
        out.append(word)
    return out


def index_words(text: str, *, normalised: bool = False) -> list[str]:
    """The words a text is indexed under: normalised, segmented with the committee dictionary (taught
    beforehand with ``ensure_dictionary``), with sub-words, lower-case, punctuation and function words
    dropped."""
    words = tokens(text, normalised=normalised, keep_stopwords=True)
    return _engine_words(_with_subwords([w for w in words if w not in INDEX_STOPWORDS]))


@dataclass(frozen=True)
class ParsedQuery:
    """A query as the engines read it. Every group must match; a group matches when one of its
    alternatives does; an alternative matches when all its words do. A query word's alternatives are the
    word itself, the committee's other names for the same unit, and the dictionary words inside it taken
    together (安全工程: 安全 and 工程), since a text may have them apart."""

    text: str
    groups: tuple[tuple[tuple[str, ...], ...], ...]

    @property
    def phrases(self) -> tuple[str, ...]:
        """Every word of every alternative, in order, repeats included: the phrases both engines score."""
        return tuple(w for group in self.groups for alternative in group for w in alternative)

    @property
    def words(self) -> tuple[str, ...]:
        """The distinct words, in order: what any-word search looks for and what snippets mark."""
        return tuple(dict.fromkeys(self.phrases))

    def __bool__(self) -> bool:
        return bool(self.groups)


def parse_query(text: str, *, committee_id: int) -> ParsedQuery:
    """Normalise and segment a query with the committee's dictionary (simplified and traditional alike),
    drop noise words unless nothing else is left, and give each word its alternatives."""
    aliases = ensure_dictionary(committee_id).aliases
    norm = normalise(text)[:200]
    all_words = _engine_words(tokens(norm, normalised=True, keep_stopwords=True))
    meaningful = [w for w in all_words if w not in STOPWORDS]
    words = list(dict.fromkeys(meaningful or all_words))[:MAX_QUERY_WORDS]
    groups = []
    for word in words:
        alternatives: list[tuple[str, ...]] = [(w,) for w in dict.fromkeys((word, *aliases.get(word, ())))]
        inside = tuple(dict.fromkeys(w for w in _with_subwords([word]) if w != word))
        if inside and word not in aliases:  # a unit's names already cover its parts
            alternatives.append(inside)
        groups.append(tuple(alternatives))
    return ParsedQuery(text=norm, groups=tuple(groups))


# --------------------------------------------------------------------------------------------------------
# The committee dictionary
# --------------------------------------------------------------------------------------------------------


def ensure_dictionary(committee_id: int) -> Vocabulary:
    """Teach the segmenter the committee's words unless it knows them already (one query to check): the
    committee dictionary of ``xieshang.search.dictionary``, shared with the similarity engine."""
    return vocabulary(committee_id)


def forget_dictionaries() -> None:
    """For tests: forget what was taught (the segmenter itself is reset by the caller)."""
    forget()


def _reindex_mentions(committee_id: int, names: set[str]) -> int:
    """Documents written before a unit got its name were segmented without it: index them again."""
    q = Q()
    for name in names:
        short = name[1:] if name.startswith(_PREFIXES) and len(name) > 3 and not name.startswith("县委") else name
        q |= Q(body__contains=short) | Q(title__contains=short)
    pairs = list(SearchDocument.objects.filter(committee_id=committee_id).filter(q).values_list("kind", "object_id"))
    return index_objects(pairs, follow_names=False) if pairs else 0


# --------------------------------------------------------------------------------------------------------
# Kinds of document
# --------------------------------------------------------------------------------------------------------


@dataclass
class Source:
    """What a kind builds one document from, before segmentation."""

    committee_id: int
    object_id: int
    title: str
    body: str = ""
    extra: str = ""  # indexed words that are not shown in snippets (names of proposers, units …)
    session_id: int | None = None
    status: str = ""
    unit_ids: set[int] = field(default_factory=set)
    category: str = ""
    year: int | None = None
    data: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class DocumentKind:
    """One kind of searchable document, registered by the app that owns its rows.

    ``build(committee_id, ids)`` yields the ``Source`` of every indexable object of a committee (ids None)
    or of the given ids (committee None); an id it does not yield loses its document.
    ``visible(user)`` is the ``Q`` over ``SearchDocument`` of this kind's documents the user may see,
    through the owning app's selectors. ``url(doc)`` is the page a result links to; ``facts(doc)`` the
    few words a result shows under its title (reference, state, unit …). ``sources`` maps a model label
    to the id of this kind's document that shows a row of it (an assignment shows in its proposal's)."""

    name: str
    label: str | Promise  # plural, for the tabs: "Proposals"
    item_label: str | Promise  # one result's badge: "Proposal"
    build: Callable[[int | None, Sequence[int] | None], Iterable[Source]]
    visible: Callable[[Any], Q]
    url: Callable[[SearchDocument], str]
    facts: Callable[[SearchDocument], list[str]] = lambda doc: []
    sources: dict[str, Callable[[Any], int | None]] = field(default_factory=dict)
    # The words a document adds to the committee dictionary (a unit's names): when they change, the
    # documents that mention them are segmented again.
    teaches: Callable[[SearchDocument], set[str]] | None = None
    # Offered among similar titles when the words found little (a reply repeats its proposal's title).
    similar_titles: bool = True


_kinds: dict[str, DocumentKind] = {}


def register_kind(kind: DocumentKind) -> None:
    _kinds[kind.name] = kind


def kinds() -> dict[str, DocumentKind]:
    return dict(_kinds)


def _chunks(items: Sequence[Any], size: int) -> Iterator[Sequence[Any]]:
    for i in range(0, len(items), size):
        yield items[i:i + size]


def _local_year(value: Any) -> int | None:
    return timezone.localtime(value).year if value else None


def _names(*values: str) -> str:
    return " ".join(v for v in values if v)


def _proposal_sources(committee_id: int | None, ids: Sequence[int] | None) -> Iterator[Source]:
    from xieshang.proposals.models import Assignment, Proposal, Proposer
    from xieshang.proposals.workflow import AssignmentStatus

    qs = Proposal.objects.all() if ids is None else Proposal.objects.filter(pk__in=ids)
    if committee_id is not None:
        qs = qs.filter(committee_id=committee_id)
    qs = qs.select_related("session", "lead_member").prefetch_related(
        Prefetch("assignments", queryset=Assignment.objects.exclude(status=AssignmentStatus.CANCELLED)
                 .select_related("unit")),
        Prefetch("proposers", queryset=Proposer.objects.filter(status=Proposer.Status.SIGNED)
                 .select_related("member").order_by("order", "id")),
    ).order_by("id")
    for p in qs.iterator(chunk_size=500):
        # The lead (or sole, or separate) units first, then the co-handlers.
        units = [a.unit for a in sorted(p.assignments.all(), key=lambda a: (a.role == "co", a.pk))]
        proposers = [pr.member.name for pr in p.proposers.all()]
        yield Source(
            committee_id=p.committee_id, object_id=p.pk, title=p.title, body=p.body,
            extra=_names(p.collective_name, p.proposer_text, *proposers,
                         *(_names(u.name, u.short_name) for u in units)),
            session_id=p.session_id, status=p.status, unit_ids={u.pk for u in units}, category=p.category,
            year=p.session.opens_on.year if p.session else _local_year(p.submitted_at or p.created_at),
            data={"reference": p.reference, "proposer": p.collective_name or p.proposer_name,
                  "units": [u.short_name or u.name for u in units]},
        )


def _reply_sources(committee_id: int | None, ids: Sequence[int] | None) -> Iterator[Source]:
    from xieshang.proposals.models import Reply

    qs = Reply.objects.all() if ids is None else Reply.objects.filter(pk__in=ids)
    if committee_id is not None:
        qs = qs.filter(assignment__committee_id=committee_id)
    qs = qs.select_related("assignment__unit", "assignment__proposal__session").order_by("id")
    for r in qs.iterator(chunk_size=500):
        a, p = r.assignment, r.assignment.proposal
        yield Source(
            committee_id=a.committee_id, object_id=r.pk, title=p.title, body=r.body,
            extra=_names(a.unit.name, a.unit.short_name, r.document_number, r.signatory),
            session_id=p.session_id, status=r.status, unit_ids={a.unit_id}, category=p.category,
            year=p.session.opens_on.year if p.session else _local_year(p.submitted_at or p.created_at),
            data={"proposal_id": p.pk, "reference": p.reference, "unit": a.unit.short_name or a.unit.name,
                  "round": r.round, "result_class": r.result_class},
        )


def _member_sources(committee_id: int | None, ids: Sequence[int] | None) -> Iterator[Source]:
    from xieshang.organisation.models import Member, SpecialCommitteeMembership

    qs = Member.objects.all() if ids is None else Member.objects.filter(pk__in=ids)
    if committee_id is not None:
        qs = qs.filter(committee_id=committee_id)
    qs = qs.select_related("sector").prefetch_related(Prefetch(
        "special_committee_memberships", queryset=SpecialCommitteeMembership.objects.select_related(
            "special_committee"))).order_by("id")
    # Labels are indexed in Chinese whatever the language of the request that caused the indexing.
    with translation.override("zh-hans"):
        for m in qs.iterator(chunk_size=500):
            committees = [s.special_committee.name for s in m.special_committee_memberships.all()]
            # Only what the directory shows every role: no phone, e-mail or birth date.
            body = "\n".join(x for x in (_names(m.work_unit, m.job_title), "、".join(committees)) if x)
            yield Source(
                committee_id=m.committee_id, object_id=m.pk, title=m.name, body=body,
                extra=_names(m.sector.name, str(m.get_party_display()), m.ethnicity),
                data={"sector": m.sector.name, "work_unit": m.work_unit, "job_title": m.job_title},
            )


def _unit_sources(committee_id: int | None, ids: Sequence[int] | None) -> Iterator[Source]:
    from xieshang.organisation.models import HandlingUnit

    qs = HandlingUnit.objects.all() if ids is None else HandlingUnit.objects.filter(pk__in=ids)
    if committee_id is not None:
        qs = qs.filter(committee_id=committee_id)
    with translation.override("zh-hans"):
        for u in qs.order_by("id").iterator(chunk_size=500):
            yield Source(
                committee_id=u.committee_id, object_id=u.pk, title=u.name, body=u.duties,
                extra=_names(u.short_name, str(u.get_kind_display())), status="active" if u.is_active else "inactive",
                unit_ids={u.pk}, data={"short_name": u.short_name, "kind": u.kind},
            )


def _visible_proposals(user: Any) -> Q:
    from xieshang.proposals.selectors import visible_proposals

    return Q(Exists(visible_proposals(user).filter(pk=OuterRef("object_id"))))


def _visible_replies(user: Any) -> Q:
    """A reply shows when its proposal does and it was sent; drafts also to whoever
    ``proposals.selectors.can_see_reply_drafts`` lets see them (tested against it)."""
    from xieshang.proposals.models import Reply, ReplyCosign
    from xieshang.proposals.selectors import REPLY_DRAFT_ROLES, unit_ids, visible_proposals
    from xieshang.proposals.workflow import ReplyStatus

    replies = Reply.objects.filter(Exists(visible_proposals(user).filter(pk=OuterRef("assignment__proposal_id"))))
    if not user.has_role(*REPLY_DRAFT_ROLES):
        units = unit_ids(user)
        drafts_q = Q(pk__in=[])
        if units:
            drafts_q = Q(assignment__unit_id__in=units) | Q(Exists(ReplyCosign.objects.filter(
                reply=OuterRef("pk"), assignment__unit_id__in=units)))
        replies = replies.filter(Q(status=ReplyStatus.SENT) | drafts_q)
    return Q(Exists(replies.filter(pk=OuterRef("object_id"))))


def _any_role(user: Any) -> Q:
    # The committee filter comes first in every search; inside it, the directory is open to every role.
    return Q() if user.role_codes else Q(pk__in=[])


def _proposal_of(obj: Any) -> int | None:
    return obj.proposal_id


def _proposal_facts(doc: SearchDocument) -> list[str]:
    from xieshang.proposals.workflow import ProposalStatus

    status = ProposalStatus(doc.status).label if doc.status in ProposalStatus.values else doc.status
    return [x for x in (doc.data.get("reference", ""), str(status), "、".join(doc.data.get("units", []))) if x]


def _reply_facts(doc: SearchDocument) -> list[str]:
    from xieshang.proposals.workflow import ReplyStatus

    status = ReplyStatus(doc.status).label if doc.status in ReplyStatus.values else doc.status
    cls = doc.data.get("result_class", "")
    cls = cls and gettext("Class %(c)s") % {"c": cls}
    return [x for x in (doc.data.get("reference", ""), doc.data.get("unit", ""), cls, str(status)) if x]


def _member_facts(doc: SearchDocument) -> list[str]:
    return [x for x in (doc.data.get("sector", ""), _names(doc.data.get("work_unit", ""),
                                                            doc.data.get("job_title", ""))) if x]


def _unit_facts(doc: SearchDocument) -> list[str]:
    from xieshang.organisation.models import HandlingUnit

    return [x for x in (doc.data.get("short_name", ""),
                        str(dict(HandlingUnit.Kind.choices).get(doc.data.get("kind", ""), ""))) if x]


register_kind(DocumentKind(
    name="proposal", label=_("Proposals"), item_label=_("Proposal"), build=_proposal_sources,
    visible=_visible_proposals, url=lambda d: reverse("proposals:detail", args=[d.object_id]), facts=_proposal_facts,
    sources={"proposals.proposal": lambda o: o.pk, "proposals.assignment": _proposal_of},
))
register_kind(DocumentKind(
    name="reply", label=pgettext_lazy("kind of search result", "Replies"), item_label=_("Reply"),
    build=_reply_sources, visible=_visible_replies,
    url=lambda d: reverse("proposals:detail", args=[d.data.get("proposal_id", 0)]), facts=_reply_facts,
    sources={"proposals.reply": lambda o: o.pk}, similar_titles=False,
))
register_kind(DocumentKind(
    name="member", label=_("Members"), item_label=_("Member"), build=_member_sources, visible=_any_role,
    url=lambda d: reverse("organisation:member_detail", args=[d.object_id]), facts=_member_facts,
    sources={"organisation.member": lambda o: o.pk}, similar_titles=False,
))
register_kind(DocumentKind(
    name="unit", label=_("Handling units"), item_label=_("Handling unit"), build=_unit_sources, visible=_any_role,
    url=lambda d: reverse("organisation:unit_detail", args=[d.object_id]), facts=_unit_facts,
    sources={"organisation.handlingunit": lambda o: o.pk},
    teaches=lambda d: {n for n in (d.title, d.data.get("short_name", "")) if n},
))


# --------------------------------------------------------------------------------------------------------
# Writing documents
# --------------------------------------------------------------------------------------------------------


def _document(kind: str, source: Source) -> SearchDocument:
    title = normalise(source.title)
    body = normalise(source.body)
    title_words = index_words(title, normalised=True)
    body_words = index_words(body, normalised=True) + index_words(source.extra)
    return SearchDocument(
        committee_id=source.committee_id, kind=kind, object_id=source.object_id, title=title[:300], body=body,
        title_tokens=" ".join(title_words), tokens=" ".join(body_words),
        size=len(title_words) + len(body_words),
        session_id=source.session_id, status=source.status[:20],
        unit_ids=SearchDocument.encode_ids(source.unit_ids)[:400], category=source.category[:30],
        year=source.year, data=source.data,
    )


def _documents(kind: str, sources: Iterable[Source]) -> Iterator[SearchDocument]:
    taught: set[int] = set()
    for source in sources:
        if source.committee_id not in taught:
            ensure_dictionary(source.committee_id)
            taught.add(source.committee_id)
        yield _document(kind, source)


BATCH = 1000


def index_objects(pairs: Iterable[tuple[str, int]], *, follow_names: bool = True) -> int:
    """Rebuild the documents of these (kind, object id) pairs from the rows as they are now; an object
    that is gone, or no longer indexable, loses its document. When a unit got a new name, the documents
    mentioning it are indexed again too. Returns the number of documents written."""
    by_kind: dict[str, set[int]] = defaultdict(set)
    for kind, object_id in pairs:
        if kind in _kinds and object_id is not None:
            by_kind[kind].add(int(object_id))
    written = 0
    new_names: dict[int, set[str]] = defaultdict(set)
    for kind, id_set in by_kind.items():
        teaches = _kinds[kind].teaches if follow_names else None
        for ids in _chunks(sorted(id_set), BATCH):
            old = SearchDocument.objects.filter(kind=kind, object_id__in=ids)
            known = {(d.committee_id, n) for d in old for n in teaches(d)} if teaches else set()
            docs = list(_documents(kind, _kinds[kind].build(None, ids)))
            with transaction.atomic():
                old.delete()
                SearchDocument.objects.bulk_create(docs, batch_size=BATCH)
            written += len(docs)
            for doc in docs if teaches else ():
                new_names[doc.committee_id] |= {n for n in teaches(doc) if (doc.committee_id, n) not in known}
    for committee_id, names in new_names.items():
        if names:
            written += _reindex_mentions(committee_id, names)
    return written


class _Batch:
    """The (kind, id) pairs of one transaction, indexed by one task when it commits."""

    def __init__(self) -> None:
        self.pairs: set[tuple[str, int]] = set()
        self.flushed = False

    def flush(self) -> None:
        self.flushed = True
        pairs, self.pairs = sorted(self.pairs), set()
        if not pairs:
            return
        from xieshang.search.tasks import index_documents

        try:
            index_documents.delay([list(p) for p in pairs])
        except Exception:
            # The change is committed; a failure to index it must not turn it into an error page. The
            # document is rebuilt by the next change of the object or by search_reindex.
            logger.exception("search: indexing %d documents failed", len(pairs))


_pending = threading.local()


def index_after_commit(kind: str, object_id: int | None) -> None:
    """Index this object again once the current transaction commits (nothing if it rolls back). The
    pairs of one transaction are indexed together, by one task."""
    if object_id is None:
        return
    conn = transaction.get_connection()
    batch: _Batch | None = getattr(_pending, "batch", None)
    # A rolled-back transaction drops its callbacks: only a batch whose flush is still registered, and
    # has not run, is live.
    live = (batch is not None and not batch.flushed and conn.in_atomic_block
            and any(callback == batch.flush for _sids, callback, _robust in conn.run_on_commit))
    if not live:
        batch = _pending.batch = _Batch()
    batch.pairs.add((kind, int(object_id)))
    if not live:
        transaction.on_commit(batch.flush)  # outside a transaction this runs at once


def index_instance_after_commit(obj: models.Model) -> None:
    """Index again, after commit, every document that shows this row (a proposal's for one of its
    assignments, for instance), whatever kinds are registered for its model."""
    label = obj._meta.label_lower
    for kind in _kinds.values():
        to_id = kind.sources.get(label)
        if to_id is not None:
            index_after_commit(kind.name, to_id(obj))


@dataclass
class RebuildReport:
    committees: int = 0
    documents: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return sum(self.documents.values())


def rebuild_index(committee_id: int | None = None, *, progress: Callable[[str], None] | None = None) -> RebuildReport:
    """Rebuild every document of one committee, or of all: per committee in one transaction (searches
    see the old documents until it commits), written in batches."""
    from xieshang.organisation.models import Committee

    started = time.monotonic()
    report = RebuildReport()
    ids = [committee_id] if committee_id is not None else list(Committee.objects.order_by("id").values_list(
        "id", flat=True))
    for cid in ids:
        ensure_dictionary(cid)
        with transaction.atomic():
            SearchDocument.objects.filter(committee_id=cid).delete()
            for name, kind in _kinds.items():
                count = 0
                batch: list[SearchDocument] = []
                for doc in _documents(name, kind.build(cid, None)):
                    batch.append(doc)
                    if len(batch) >= BATCH:
                        SearchDocument.objects.bulk_create(batch)
                        count, batch = count + len(batch), []
                if batch:
                    SearchDocument.objects.bulk_create(batch)
                    count += len(batch)
                report.documents[name] = report.documents.get(name, 0) + count
        report.committees += 1
        if progress is not None:
            progress(f"committee {cid}: {sum(report.documents.values())} documents so far, "
                     f"{time.monotonic() - started:.1f} s")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # Fresh statistics, or the planner may walk the committee's documents instead of the GIN index.
            cursor.execute(f"ANALYZE {SearchDocument._meta.db_table}")
        elif committee_id is None:
            # Merge the index segments written batch by batch: fewer b-trees for every query to walk.
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    report.seconds = time.monotonic() - started
    return report


def step_index(ctx: Any) -> None:
    """The demo's last history step (xieshang.demo.generator.HISTORY_STEPS): index the demo committee in
    the demo's own transaction, at once, rather than document by document after it commits."""
    rebuild_index(committee_id=ctx.committee.pk)
    batch = getattr(_pending, "batch", None)
    if batch is not None:
        batch.pairs.clear()  # what the earlier steps queued is in the index already
