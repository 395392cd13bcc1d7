"""Speed of the text engines at province scale: similar-proposal lookup, unit suggestion and search over the
province history of bench/proposals_generate.py (100 committees × 10 years × 300 proposals), with texts that
vary like real ones, plus the time and memory it takes to build the search index.

    .venv/bin/python bench/text/speed.py                                   # SQLite: bench/out/text-speed.sqlite3
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/xieshang_textspeed .venv/bin/python bench/text/speed.py
    .venv/bin/python bench/text/speed.py --committees 3                    # a small try (about a minute)
    .venv/bin/python bench/text/speed.py --skip-generate                   # measure again, same data
    .venv/bin/python bench/text/speed.py --report                          # merge into results/<date>-text-speed.md

Generation reuses ``proposals_generate.Generator`` (bulk inserts, see bench/README.md) with one change: instead
of the demo committee's ~80 topics with the same sentences each time, every proposal gets a text composed from
~260 subjects (the demo's topics and the written corpus of bench/text/corpus.jsonl) with varied subject frames
and the openings, closings and extra suggestions members use (demo_data), so that the index has realistic
vocabulary and postings. It uses its own databases (text-speed.sqlite3, xieshang_textspeed) so that it never
empties the proposals benchmark's.

Measured in-process, one caller, sequential calls, on committee bench001 (3,000 proposals of 300,000): the
first call of each engine (which builds that committee's in-memory index) separately, then warm calls."""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import json
import os
import platform
import random
import re
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
BENCH = HERE.parent
ROOT = BENCH.parent
OUT = BENCH / "out"
DEFAULT_URL = f"sqlite:///{OUT / 'text-speed.sqlite3'}"
sys.path.insert(0, str(BENCH))
sys.path.insert(0, str(HERE))

import proposals_generate as pg  # noqa: E402


def rss_mib() -> float:
    """Resident memory of this process now (VmRSS), in MiB."""
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return 0.0


def peak_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


# --- Varied texts ------------------------------------------------------------------------------------------

_VERB = re.compile(r"^关于(加强|加快|推进|完善|提升|做好|规范|健全|强化|促进|推动|深化|优化|发展|支持|改善)")


class VariedTopics(Sequence[Any]):
    """A long sequence of proposal texts composed from base subjects; item i is always the same text, so a
    run is reproducible. ``random.choice`` picks from it like from the demo's tuple of topics."""

    def __init__(self, bases: list[Any], per_base: int = 1000) -> None:
        from xieshang.proposals import demo_data as d

        self.bases, self.per_base, self.d = bases, per_base, d

    def __len__(self) -> int:
        return len(self.bases) * self.per_base

    def __getitem__(self, i: Any) -> Any:
        if isinstance(i, slice):
            return [self[j] for j in range(*i.indices(len(self)))]
        base = self.bases[i % len(self.bases)]
        r = random.Random(i)
        d = self.d
        title = base.title
        if r.random() < 0.3 and _VERB.match(title) and "进一步" not in title:
            title = "关于进一步" + title[2:]
        if r.random() < 0.15:
            title = title.replace("的建议", "的提案")
        situation = r.choice(d.SITUATION_OPENINGS) + base.situation + r.choice(d.SITUATION_CLOSINGS)
        analysis = r.choice(d.ANALYSIS_OPENINGS) + base.analysis + r.choice(d.ANALYSIS_CLOSINGS) \
            if base.analysis else ""
        suggestions = base.suggestions + ("" if r.random() < 0.5 else r.choice(d.SUGGESTION_EXTRAS))
        return base._replace(title=title, situation=situation, analysis=analysis, suggestions=suggestions)


def base_topics() -> list[Any]:
    from evaluate import load_jsonl, split_body

    from xieshang.proposals import demo_data as d

    bases = list(d.TOPICS)
    for row in load_jsonl("corpus.jsonl"):
        situation, suggestions = split_body(row["body"])
        bases.append(d.Topic(key=row["id"], category=row["category"], title=row["title"], situation=situation,
                             analysis="", suggestions=suggestions, lead=row["unit"],
                             reply="我单位高度重视，结合职责对提案所提建议逐条研究，已列入年度工作计划分步落实。"))
    return bases


class TextGenerator(pg.Generator):
    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.topics = VariedTopics(base_topics())


def retext(batch: int = 2000) -> dict[str, Any]:
    """Give the proposals of a database generated by proposals_generate.py (or a copy of it) the varied texts
    this benchmark generates: each proposal keeps the lead unit of the demo topic it was made from and gets a
    text composed from a subject that unit leads (the demo's topics and the written corpus). Replies keep
    their text. Raw UPDATEs in batches, one transaction."""
    from django.db import connection, transaction
    from evaluate import topic_matchers

    from xieshang.demo import data as org
    from xieshang.proposals import demo_data as d

    started = time.monotonic()
    lead_of = {t.key: t.lead for t in d.TOPICS}
    matchers = [(rx, key) for rx, key in topic_matchers() if key in lead_of]
    by_lead: dict[str, list[Any]] = {}
    for base in base_topics():
        by_lead.setdefault(base.lead, []).append(base)
    varied = {lead: VariedTopics(bases) for lead, bases in by_lead.items()}
    fallback = VariedTopics(base_topics())
    with connection.cursor() as cursor:
        cursor.execute("SELECT id, title, created_at FROM proposals_proposal ORDER BY id")
        rows = cursor.fetchall()
    updates = []
    for pk, title, created in rows:
        key = next((k for rx, k in matchers if rx.match(title)), None)
        pool = varied.get(lead_of[key]) if key else None
        pool = pool or fallback
        r = random.Random(pk)
        topic = pool[r.randrange(len(pool))]
        town = r.choice(org.TOWNSHIP_NAMES)
        year = created.year if hasattr(created, "year") else int(str(created)[:4])
        fill = {"town": town, "village": f"{town}新庄村", "year": year - 1, "prev": year - 2}
        updates.append((topic.title.format(**fill)[:120], topic.situation.format(**fill),
                        topic.analysis.format(**fill), topic.suggestions.format(**fill), pk))
    with transaction.atomic(), connection.cursor() as cursor:
        for start in range(0, len(updates), batch):
            cursor.executemany("UPDATE proposals_proposal SET title = %s, situation = %s, analysis = %s, "
                               "suggestions = %s WHERE id = %s", updates[start:start + batch])
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(DISTINCT title) FROM proposals_proposal")
        distinct = cursor.fetchone()[0]
    return {"seconds": time.monotonic() - started, "proposals": len(rows), "distinct_titles": distinct}


def index_within(budget: float, previous: dict[str, Any] | None, path: Path, record: dict[str, Any]
                 ) -> dict[str, Any]:
    """Index the committees one at a time until ``budget`` seconds are spent; committees whose proposals are
    all indexed already are skipped. Per-committee times are saved as it goes, so that a stopped run still
    tells how long a full build takes."""
    from django.db import connection
    from django.db.models import Count

    from xieshang.organisation.models import Committee
    from xieshang.proposals.models import Proposal
    from xieshang.search.indexing import rebuild_index
    from xieshang.search.models import SearchDocument

    info = previous if previous and "per_committee" in previous else {"per_committee": {}}
    proposals = dict(Proposal.objects.values("committee_id").annotate(n=Count("id")).values_list("committee_id", "n"))
    indexed = dict(SearchDocument.objects.filter(kind="proposal").values("committee_id").annotate(n=Count("id"))
                   .values_list("committee_id", "n"))
    gc.collect()
    info.setdefault("rss_before_mib", rss_mib())
    started = time.monotonic()
    for cid in Committee.objects.order_by("id").values_list("id", flat=True):
        if indexed.get(cid, 0) >= proposals.get(cid, 0) > 0 or (cid not in proposals):
            continue
        if time.monotonic() - started > budget:
            break
        t, cpu = time.monotonic(), time.process_time()
        report = rebuild_index(cid)
        info["per_committee"][str(cid)] = {"seconds": time.monotonic() - t, "cpu_seconds": time.process_time() - cpu,
                                           "documents": report.total}
        info["rss_after_mib"], info["peak_rss_mib"] = rss_mib(), peak_mib()
        record["index"] = info
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False))
        print(f"  committee {cid}: {report.total} documents in {info['per_committee'][str(cid)]['seconds']:.1f} s",
              flush=True)
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            cursor.execute("INSERT INTO search_fts(search_fts) VALUES ('optimize')")
    timed_ = list(info["per_committee"].values())
    info["committees_total"] = len(proposals)
    info["committees_indexed"] = len({c for c, n in SearchDocument.objects.filter(kind="proposal").values(
        "committee_id").annotate(n=Count("id")).values_list("committee_id", "n") if n >= proposals.get(c, 0)})
    info["documents_indexed"] = SearchDocument.objects.count()
    if timed_:
        per = sum(x["seconds"] for x in timed_) / len(timed_)
        info["seconds_per_committee"] = per
        info["cpu_seconds_per_committee"] = sum(x["cpu_seconds"] for x in timed_) / len(timed_)
        info["documents_per_second"] = sum(x["documents"] for x in timed_) / sum(x["seconds"] for x in timed_)
        info["extrapolated_full_seconds"] = per * len(proposals)
    return info


# --- Measuring ----------------------------------------------------------------------------------------------


def timed(fn: Callable[[Any], Any], inputs: Sequence[Any], *, requests: int, seconds: float) -> dict[str, Any]:
    """The first call alone (cold: it may build the committee's index), 3 warm-up calls, then up to
    ``requests`` calls or ``seconds``, cycling through the inputs. Milliseconds."""
    started = time.perf_counter()
    fn(inputs[0])
    cold = (time.perf_counter() - started) * 1000
    for x in inputs[1:4]:
        fn(x)
    samples: list[float] = []
    deadline = time.monotonic() + seconds
    i = 4
    while len(samples) < requests and time.monotonic() < deadline:
        x = inputs[i % len(inputs)]
        t = time.perf_counter()
        fn(x)
        samples.append((time.perf_counter() - t) * 1000)
        i += 1
    samples.sort()

    def q(p: float) -> float:
        return samples[min(len(samples) - 1, round(p * (len(samples) - 1)))]

    return {"cold": cold, "p50": q(0.5), "p95": q(0.95), "p99": q(0.99), "mean": statistics.fmean(samples),
            "max": samples[-1], "n": len(samples)}


def index_size(url: str) -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT c.relname, pg_total_relation_size(c.oid) FROM pg_class c "
                           "JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname = 'public' "
                           "AND c.relkind = 'r' AND c.relname LIKE 'search%%'")
            return {name: int(size) for name, size in cursor.fetchall()}
        try:
            cursor.execute("SELECT name, SUM(pgsize) FROM dbstat WHERE name LIKE 'search%' GROUP BY name")
            return {name: int(size) for name, size in cursor.fetchall()}
        except Exception:  # noqa: BLE001 - SQLite built without dbstat: the whole file only
            return {}


def inputs() -> tuple[list[tuple[str, str]], list[str]]:
    """Drafts (subject, body) for the similar and unit lookups, and search queries: the development set's."""
    from evaluate import load_jsonl

    drafts = [(r["title"], r["body"]) for r in load_jsonl("corpus.jsonl")]
    drafts += [(r["title"], "") for r in load_jsonl("units.jsonl")]
    random.Random(7).shuffle(drafts)
    queries = [r["query"] for r in load_jsonl("queries.jsonl")]
    rng = random.Random(11)
    queries += [f"{a} {b}" for a, b in (rng.sample(queries[:58], 2) for _ in range(42))]
    queries += ["县住建局 污水", "洛门镇 冷链", "县教育局 教师", "农村 养老 服务", "停车 县城"]
    return drafts, queries


def measure(url: str, requests: int, seconds: float, code: str) -> dict[str, Any]:
    from django.db import connection

    from xieshang.accounts.models import User
    from xieshang.organisation.models import Committee

    committee = Committee.objects.get(code=code)
    staff = User.objects.get(username=f"{code}-staff")
    member = User.objects.get(username=f"{code}-m000")
    drafts, queries = inputs()
    result: dict[str, Any] = {"committee": code, "proposals": committee.proposal_set.count()
                              if hasattr(committee, "proposal_set") else None}
    from xieshang.proposals.models import Proposal

    result["proposals"] = Proposal.objects.filter(committee=committee).count()
    result["proposals_all"] = Proposal.objects.count()
    ops: dict[str, dict[str, Any]] = {}
    gc.collect()
    before = rss_mib()
    try:
        from xieshang.search.similarity import similar_proposals

        ops["similar proposals (drafting member, 10 shown)"] = timed(
            lambda d: similar_proposals(committee_id=committee.pk, title=d[0], body=d[1], limit=10, user=member,
                                        min_score=0.0),
            drafts, requests=requests, seconds=seconds)
        ops["similar proposals (command line, no user)"] = timed(
            lambda d: similar_proposals(committee_id=committee.pk, title=d[0], body=d[1], limit=10),
            drafts, requests=requests, seconds=seconds)
    except ImportError:
        pass
    after_similar = rss_mib()
    try:
        from xieshang.search.units import suggest_units_for_text

        ops["unit suggestion (3 units)"] = timed(
            lambda d: suggest_units_for_text(committee_id=committee.pk, title=d[0], body=d[1], limit=3),
            drafts, requests=requests, seconds=seconds)
    except ImportError:
        pass
    after_units = rss_mib()
    try:
        from xieshang.search.similarity import duplicate_groups_by_session

        current = committee.sessions.order_by("-opens_on").first() if hasattr(committee, "sessions") else None
        from xieshang.organisation.models import PlenarySession

        current = PlenarySession.objects.filter(committee=committee).order_by("-opens_on").first()
        ops["duplicate groups of the current session (review queue)"] = timed(
            lambda _: duplicate_groups_by_session(committee_id=committee.pk, session_ids=[current.pk]),
            [None], requests=min(requests, 50), seconds=seconds)
    except ImportError:
        pass
    try:
        from xieshang.search.selectors import search

        ops["search, proposal-committee staff (20 results)"] = timed(
            lambda q: search(user=staff, query=q), queries, requests=requests, seconds=seconds)
        ops["search, member (20 results)"] = timed(
            lambda q: search(user=member, query=q), queries, requests=requests, seconds=seconds)
    except ImportError:
        pass
    result["ops"] = ops
    result["memory_mib"] = {"similar index of one committee": after_similar - before,
                            "unit model of one committee": after_units - after_similar}
    # Several committees' in-memory indexes, as a province server holding the busiest would.
    try:
        from xieshang.search import similarity

        others = list(Committee.objects.exclude(pk=committee.pk).filter(code__startswith="bench")
                      .order_by("code").values_list("pk", flat=True)[:9])
        gc.collect()
        start_rss, started = rss_mib(), time.perf_counter()
        for cid in others:
            similarity.similar_proposals(committee_id=cid, title="关于加快农村生活污水治理的建议", limit=10)
        if others:
            result["memory_mib"][f"similar indexes of {len(others)} more committees"] = rss_mib() - start_rss
            result["cold_index_seconds_per_committee"] = (time.perf_counter() - started) / len(others)
            result["cached_committees"] = getattr(similarity, "CACHED_COMMITTEES", None)
    except ImportError:
        pass
    result["vendor"] = connection.vendor
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--committees", type=int, default=100)
    parser.add_argument("--years", type=int, default=10)
    parser.add_argument("--per-year", type=int, default=300)
    parser.add_argument("--skip-generate", action="store_true", help="keep the database, index and measure")
    parser.add_argument("--skip-index", action="store_true", help="keep the index too, only measure")
    parser.add_argument("--retext", action="store_true",
                        help="with --skip-generate: give an existing proposals benchmark database (or a copy, e.g. "
                             "createdb -T xieshang_bench xieshang_textspeed) this benchmark's varied texts")
    parser.add_argument("--index-budget", type=float, default=0,
                        help="index committee by committee (skipping those already indexed) for at most this many "
                             "seconds, then measure on what is indexed")
    parser.add_argument("--requests", type=int, default=200)
    parser.add_argument("--seconds", type=float, default=30.0)
    parser.add_argument("--committee", default="bench001")
    parser.add_argument("--report", action="store_true", help="write results/<date>-text-speed.md from out/")
    args = parser.parse_args()
    if args.report:
        write_report()
        return
    url = os.environ.get("DATABASE_URL", DEFAULT_URL)
    name = "text-speed-" + ("sqlite" if url.startswith("sqlite") else pg.database_name(url))
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.json"
    record: dict[str, Any] = json.loads(path.read_text()) if (args.skip_generate and path.exists()) else {}
    if not args.skip_generate:
        print(f"{name}: emptying and migrating", flush=True)
        pg.empty_database(url)
        pg.setup(url)
        from django.core.management import call_command
        from django.utils import timezone

        started = time.monotonic()
        call_command("migrate", verbosity=0)
        record["migrate_seconds"] = time.monotonic() - started
        print(f"generating {args.committees} committees × {args.years} years × {args.per_year} proposals",
              flush=True)
        gen = TextGenerator(committees=args.committees, years=args.years, per_year=args.per_year,
                            today=timezone.localdate())
        generated = gen.run()
        record.update(committees=args.committees, years=args.years, per_year=args.per_year,
                      generate_seconds=generated["seconds"], rows=generated["rows"])
        from django.db import connection

        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        record["size_before_index"] = pg.database_size(url)
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False))
    else:
        pg.setup(url)
        if args.retext:
            from django.core.management import call_command

            call_command("migrate", verbosity=0)
            print("giving the proposals varied texts", flush=True)
            record["retext"] = retext()
            rows = {}
            from django.apps import apps

            for label in ("proposals.Proposal", "proposals.Reply", "organisation.Member",
                          "organisation.HandlingUnit", "organisation.Committee"):
                rows[label] = apps.get_model(label).objects.count()
            record.update(rows=rows, committees=rows["organisation.Committee"], years=10,
                          per_year=rows["proposals.Proposal"] // max(rows["organisation.Committee"], 1) // 10,
                          generated_by="proposals_generate.py, texts rewritten by speed.py --retext")
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
            record["size_before_index"] = pg.database_size(url)
            print(f"rewrote {record['retext']['proposals']:,} proposals ({record['retext']['distinct_titles']:,} "
                  f"distinct subjects) in {record['retext']['seconds']:.0f} s", flush=True)
    from django.db import connection

    if args.index_budget and not args.skip_index:
        record["index"] = index_within(args.index_budget, record.get("index"), path, record)
        record["size_after_index"] = pg.database_size(url)
        record["index_tables"] = index_size(url)
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False))
    elif not args.skip_index:
        from xieshang.search.indexing import rebuild_index

        print("building the search index", flush=True)
        gc.collect()
        rss_before = rss_mib()
        started = time.monotonic()
        cpu = time.process_time()
        report = rebuild_index(progress=lambda line: None)
        record["index"] = {"seconds": time.monotonic() - started, "cpu_seconds": time.process_time() - cpu,
                           "documents": report.documents, "committees": report.committees,
                           "rss_before_mib": rss_before, "rss_after_mib": rss_mib(), "peak_rss_mib": peak_mib()}
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        record["size_after_index"] = pg.database_size(url)
        record["index_tables"] = index_size(url)
        path.write_text(json.dumps(record, indent=1, ensure_ascii=False))
        print(f"indexed {sum(report.documents.values()):,} documents in {record['index']['seconds']:.0f} s", flush=True)
    if "rows" not in record:
        from django.apps import apps

        record["rows"] = {label: apps.get_model(label).objects.count() for label in (
            "proposals.Proposal", "proposals.Reply", "organisation.Member", "organisation.HandlingUnit")}
        record.setdefault("committees", apps.get_model("organisation.Committee").objects.count())
    print(f"measuring committee {args.committee}", flush=True)
    record["measure"] = measure(url, args.requests, args.seconds, args.committee)
    record["vendor"] = connection.vendor
    record["database"] = pg.database_name(url)
    with connection.cursor() as cursor:
        cursor.execute("select sqlite_version()" if connection.vendor == "sqlite" else "show server_version")
        record["server_version"] = cursor.fetchone()[0]
    record["measured_on"] = dt.datetime.now(dt.UTC).strftime("%Y-%m-%d %H:%M UTC")
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True).stdout
    dirty = subprocess.run(["git", "status", "--porcelain", "xieshang/search"], cwd=ROOT, capture_output=True,
                           text=True).stdout.strip()
    record["code"] = head.strip() + (" with uncommitted changes in xieshang/search" if dirty else "")
    record["machine"] = machine()
    path.write_text(json.dumps(record, indent=1, ensure_ascii=False))
    print(json.dumps(record["measure"]["ops"], indent=1))


def machine() -> str:
    cpu = ""
    with contextlib.suppress(OSError, StopIteration), open("/proc/cpuinfo") as f:
        cpu = next(line.split(":", 1)[1].strip() for line in f if line.startswith("model name"))
    mem = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return f"{os.cpu_count()} CPUs ({cpu}), {mem:.0f} GiB RAM; Python {platform.python_version()}"


def write_report() -> None:
    runs = [json.loads(p.read_text()) for p in sorted(OUT.glob("text-speed-*.json"))]
    runs = [r for r in runs if r.get("measure")]
    lines = [f"# Text engines at province scale — {dt.date.today().isoformat()}", ""]
    if runs:
        lines += [f"Machine: {runs[0]['machine']}. Measured with `bench/text/speed.py`: in-process calls of the "
                  "engines' functions, one caller, sequential; the first call of each (cold: it builds the "
                  "committee's in-memory index) apart, then 3 warm-up calls and up to 200 calls or 30 s. "
                  "Times in milliseconds. Targets: similar-proposal lookup and unit suggestion p95 < 50 ms, "
                  "search p95 < 100 ms.", ""]
    for r in runs:
        rows = r.get("rows", {})
        m = r["measure"]
        lines += [f"## {r['vendor']} {r.get('server_version', '')} ({r['database']})", "",
                  f"Data: {r.get('committees', '?')} committees × {r.get('years', '?')} years × "
                  f"{r.get('per_year', '?')} proposals = {rows.get('proposals.Proposal', m.get('proposals_all', 0)):,} "
                  f"proposals, {rows.get('proposals.Reply', 0):,} replies, {rows.get('organisation.Member', 0):,} "
                  f"members, {rows.get('organisation.HandlingUnit', 0):,} units; generated in "
                  f"{r.get('generate_seconds', 0):.0f} s; database {r.get('size_before_index', 0) / 2**20:,.0f} MiB "
                  f"before the search index, {r.get('size_after_index', 0) / 2**20:,.0f} MiB after.", ""]
        if r.get("generated_by"):
            lines += [f"Generated by: {r['generated_by']}.", ""]
        if r.get("notes"):
            lines += [r["notes"], ""]
        ix = r.get("index")
        if ix and "per_committee" in ix:
            lines += [f"Search index (`rebuild_index(committee_id)`, committee by committee within the time this run "
                      f"had): {ix.get('committees_indexed', 0)} of {ix.get('committees_total', 0)} committees indexed, "
                      f"{ix.get('documents_indexed', 0):,} documents in the index. Per committee "
                      f"({len(ix['per_committee'])} timed): {ix.get('seconds_per_committee', 0):.1f} s wall, "
                      f"{ix.get('cpu_seconds_per_committee', 0):.1f} s CPU, {ix.get('documents_per_second', 0):.0f} "
                      f"documents/s; a full build of all committees extrapolates to "
                      f"{ix.get('extrapolated_full_seconds', 0) / 60:.0f} min on this machine as loaded. Resident "
                      f"memory {ix.get('rss_before_mib', 0):.0f} → {ix.get('rss_after_mib', 0):.0f} MiB (peak "
                      f"{ix.get('peak_rss_mib', 0):.0f} MiB)."]
            tables = r.get("index_tables") or {}
            if tables:
                lines.append("Index tables: " + ", ".join(f"{k} {v / 2**20:,.0f} MiB"
                                                          for k, v in sorted(tables.items())) + ".")
            lines.append("")
        elif ix:
            docs = ", ".join(f"{n:,} {k}" for k, n in ix["documents"].items())
            lines += [f"Search index (`rebuild_index()`, all committees): {sum(ix['documents'].values()):,} documents "
                      f"({docs}) in {ix['seconds']:.0f} s wall, {ix['cpu_seconds']:.0f} s CPU in this process; "
                      f"resident memory {ix['rss_before_mib']:.0f} → {ix['rss_after_mib']:.0f} MiB (peak "
                      f"{ix['peak_rss_mib']:.0f} MiB)."]
            tables = r.get("index_tables") or {}
            if tables:
                lines.append("Index tables: " + ", ".join(f"{k} {v / 2**20:,.0f} MiB"
                                                          for k, v in sorted(tables.items())) + ".")
            lines.append("")
        lines += [f"Measured {r.get('measured_on', '?')} on code {r.get('code', '?')}. Committee `{m['committee']}`: "
                  f"{m['proposals']:,} of {m['proposals_all']:,} proposals.", "",
                  "| operation | cold (first call) | p50 | p95 | p99 | mean | max | n |",
                  "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for op, t in m["ops"].items():
            lines.append(f"| {op} | {t['cold']:.1f} | {t['p50']:.1f} | {t['p95']:.1f} | {t['p99']:.1f} | "
                         f"{t['mean']:.1f} | {t['max']:.1f} | {t['n']} |")
        mem = m.get("memory_mib", {})
        if mem:
            lines += ["", "In-memory indexes (growth of resident memory): " +
                      "; ".join(f"{k} {v:.0f} MiB" for k, v in mem.items()) +
                      " (the first includes jieba's dictionary, loaded once per process)" +
                      (f"; building one committee's similar index cold takes "
                       f"{m['cold_index_seconds_per_committee']:.1f} s" if m.get("cold_index_seconds_per_committee")
                       else "") +
                      (f" (a process keeps at most {m['cached_committees']})" if m.get("cached_committees") else "")
                      + "."]
        lines.append("")
    out = BENCH / "results" / f"{dt.date.today().isoformat()}-text-speed.md"
    out.write_text("\n".join(lines))
    print(f"wrote {out.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
