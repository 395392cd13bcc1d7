"""Measure the proposal pages on the province-sized data of proposals_generate.py: latency (p50/p95/p99)
and requests per second of the member's proposal list, the office's list, the review queue, a unit's inbox
and the statistics page, next to a bare one-query Django view served by the same process, settings and
middleware (defined here, with its own URLconf, not in the app).

    .venv/bin/python bench/proposals_bench.py            # every database generated under bench/out/
    .venv/bin/python bench/proposals_bench.py --database-url sqlite:///bench/out/proposals.sqlite3

Each database is measured in its own process (the database is fixed when Django starts), with Django's test
Client in-process: no HTTP server, one client, requests one after another, so req/s is 1 / mean latency of
a single worker. Every page gets a warm-up, then up to --requests requests or --seconds seconds, whichever
comes first. The report goes to bench/results/<date>-proposals.md and is printed."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out"
RESULTS = ROOT / "bench" / "results"
POSTGRES_URL = "postgres://postgres@127.0.0.1:5432/xieshang_bench"
BENCH_COMMITTEE = "bench001"
SLOW_MS = 20

urlpatterns: list[Any] = []  # filled in by child() once Django is set up: the bare view, then the project's
BARE: dict[str, int] = {}


def bare_view(request: Any) -> Any:
    """One indexed query and a plain response: the floor every page stands on."""
    from django.http import HttpResponse

    from xieshang.organisation.models import Committee

    name = Committee.objects.filter(pk=BARE["committee"]).values_list("name", flat=True).first()
    return HttpResponse(name, content_type="text/plain; charset=utf-8")


# --- The measuring child -----------------------------------------------------------------------------------


def percentile(values: list[float], p: float) -> float:
    """Nearest-rank percentile."""
    ordered = sorted(values)
    rank = max(1, min(len(ordered), round(p / 100 * len(ordered) + 0.5)))
    return ordered[rank - 1]


def measure(client: Any, url: str, *, requests: int, seconds: float, warmup: int = 3) -> dict[str, Any]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    for _ in range(warmup):
        response = client.get(url)
        if response.status_code != 200:
            return {"status": response.status_code}
    with CaptureQueriesContext(connection) as captured:
        response = client.get(url)
    statements = [q["sql"] for q in captured.captured_queries]  # now: the next request clears the log
    sql_ms, slowest = replay(statements)
    size = len(response.content)
    latencies: list[float] = []
    cpu: list[float] = []  # this process's CPU time: what the page costs here, whatever else the machine runs
    started = time.perf_counter()
    while len(latencies) < requests and (time.perf_counter() - started < seconds or len(latencies) < 10):
        t, c = time.perf_counter(), time.process_time()
        response = client.get(url)
        latencies.append(time.perf_counter() - t)
        cpu.append(time.process_time() - c)
        assert response.status_code == 200, (url, response.status_code)
    total = time.perf_counter() - started
    return {"status": 200, "n": len(latencies), "p50": percentile(latencies, 50) * 1000,
            "p95": percentile(latencies, 95) * 1000, "p99": percentile(latencies, 99) * 1000,
            "mean": statistics.fmean(latencies) * 1000, "rps": len(latencies) / total,
            "cpu_p50": percentile(cpu, 50) * 1000,
            "queries": len(statements), "sql_ms": sql_ms, "slowest_ms": slowest[0], "slowest_sql": slowest[1],
            "bytes": size}


def replay(statements: list[str]) -> tuple[float, tuple[float, str]]:
    """The database's share of one request: each of its statements run again, rows fetched (SQLite does
    most of its work while rows are fetched, which the query log does not time), the best of three runs.
    Returns the total and the slowest statement, in milliseconds."""
    from django.db import connection

    total, slowest = 0.0, (0.0, "")
    with connection.cursor() as cursor:
        for sql in statements:
            runs = []
            for _ in range(3):
                started = time.perf_counter()
                cursor.execute(sql)
                cursor.fetchall()
                runs.append((time.perf_counter() - started) * 1000)
            total += min(runs)
            slowest = max(slowest, (min(runs), sql))
    return total, slowest


def child(url: str, out: Path, requests: int, seconds: float) -> None:
    os.environ["DATABASE_URL"] = url
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.base")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth import get_user_model
    from django.core.management import call_command
    from django.db import connection
    from django.db.models import Count, Q
    from django.test import Client
    from django.test.utils import override_settings
    from django.urls import NoReverseMatch, include, path, reverse

    from xieshang.organisation.models import Committee, Role, RoleAssignment
    from xieshang.proposals.models import Proposal, Proposer

    # The schema may have moved on since the data was generated: bring it to the code's migrations first.
    started = time.monotonic()
    call_command("migrate", verbosity=0)
    migrated = time.monotonic() - started
    if migrated > 5:
        print(f"    (migrated the data to the current schema in {migrated:.0f} s)", flush=True)

    User = get_user_model()
    committee = Committee.objects.get(code=BENCH_COMMITTEE)
    BARE["committee"] = committee.pk
    urlpatterns[:] = [path("bench/bare/", bare_view, name="bench_bare"), path("", include("config.urls"))]

    # Who looks: the office, the member with most proposals, and the liaison of the unit with most open work.
    staff = User.objects.get(username=f"{BENCH_COMMITTEE}-staff")
    top_member = (Proposer.objects.filter(proposal__committee=committee).values("member").annotate(n=Count("id"))
                  .order_by("-n", "member").first())
    member = User.objects.get(roleassignment__role=Role.MEMBER, roleassignment__member=top_member["member"])
    busiest = (RoleAssignment.objects.filter(committee=committee, role=Role.UNIT_LIAISON)
               .annotate(n=Count("handling_unit__assignments", filter=Q(
                   handling_unit__assignments__status__in=["assigned", "objected", "handling"])))
               .order_by("-n", "pk").first())
    liaison = busiest.user
    last_year = dt.date.today().year - 1
    word = Proposal.objects.filter(committee=committee).values_list("title", flat=True).first()[2:6]

    pages: list[tuple[str, str, Any, str]] = [
        ("bare one-query view", "bench_bare", staff, ""),
        ("proposal list, member (own)", "proposals:list", member, ""),
        ("proposal list, office (all, page 1)", "proposals:list", staff, ""),
        ("proposal list, office, search", "proposals:list", staff, f"?q={word}"),
        ("review queue", "proposals:review_queue", staff, ""),
        ("unit inbox", "proposals:unit_inbox", liaison, ""),
        ("statistics, latest session", "proposals:statistics", staff, ""),
        (f"statistics, year {last_year}", "proposals:statistics", staff, f"?year={last_year}"),
        ("API list, office", "api:proposal-list", staff, ""),
    ]
    results = []
    load_before = os.getloadavg()[0]
    with override_settings(ROOT_URLCONF=__name__, ALLOWED_HOSTS=["testserver"], DEBUG=False):
        clients: dict[int, Any] = {}
        for label, name, user, query in pages:
            try:
                url = reverse(name) + query
            except NoReverseMatch:
                results.append({"page": label, "name": name, "status": "not built yet"})
                continue
            client = clients.get(user.pk)
            if client is None:
                client = clients[user.pk] = Client()
                client.force_login(user)
            row = measure(client, url, requests=requests, seconds=seconds)
            row.update(page=label, name=name, url=url, user=user.username)
            results.append(row)
            print(f"    {label:42s} {row.get('p50', 0):8.1f} ms p50  {row.get('rps', 0):7.1f} req/s", flush=True)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SHOW server_version")
            server = f"PostgreSQL {cursor.fetchone()[0]}"
    else:
        import sqlite3

        server = f"SQLite {sqlite3.sqlite_version}"
    info = {"vendor": connection.vendor, "server": server, "committee": committee.code,
            "proposals_in_committee": Proposal.objects.filter(committee=committee).count(),
            "proposals_total": Proposal.objects.count(), "users": {"office": staff.username,
                                                                   "member": member.username,
                                                                   "unit": liaison.username},
            "debug": settings.DEBUG, "load": [round(load_before, 2), round(os.getloadavg()[0], 2)],
            "results": results}
    out.write_text(json.dumps(info, indent=2, ensure_ascii=False))


# --- The parent: one child per database, one report -----------------------------------------------------------


def database_name(url: str) -> str:
    sys.path.insert(0, str(ROOT / "bench"))
    from proposals_generate import database_name as name

    return name(url)


def shorten(sql: str, limit: int = 300) -> str:
    """A statement for the report: the select list elided, the rest cut at ``limit`` characters."""
    head, sep, rest = sql.partition(" FROM ")
    text = f"{head[:60]} … FROM {rest}" if sep and len(head) > 60 else sql
    return (text[:limit] + " …") if len(text) > limit else text


def generated_urls() -> list[str]:
    urls = []
    if (OUT / "proposals.json").exists():
        urls.append(f"sqlite:///{OUT / 'proposals.sqlite3'}")
    if (OUT / f"{database_name(POSTGRES_URL)}.json").exists():
        urls.append(POSTGRES_URL)
    return urls


def machine() -> str:
    import django

    cpu = ""
    try:
        cpu = next(line.split(":", 1)[1].strip() for line in Path("/proc/cpuinfo").read_text().splitlines()
                   if line.startswith("model name"))
    except (OSError, StopIteration):
        cpu = platform.processor()
    mem = ""
    try:
        kb = int(next(line.split()[1] for line in Path("/proc/meminfo").read_text().splitlines()
                      if line.startswith("MemTotal")))
        mem = f", {kb / 2**20:.0f} GiB RAM"
    except (OSError, StopIteration):
        pass
    return (f"{os.cpu_count()} CPUs ({cpu}){mem}; {platform.system()} {platform.release()}; "
            f"Python {platform.python_version()}; Django {django.get_version()}")


def report(runs: list[tuple[str, dict[str, Any]]], args: argparse.Namespace) -> str:
    lines = [f"# Proposal pages at province scale — {dt.date.today().isoformat()}", "",
             f"Machine: {machine()}.", "",
             "Measured with `bench/proposals_bench.py`: Django's test Client in-process (full middleware, no HTTP "
             "server), one client, sequential requests, so req/s is one worker's throughput. Each page: 3 warm-up "
             f"requests, then up to {args.requests} requests or {args.seconds:.0f} s. Times in milliseconds. "
             "CPU p50: the benchmark process's own CPU time per request (SQLite runs inside it; PostgreSQL's "
             "work is in its server), steadier than wall time on a busy machine. "
             "Queries: per request, middleware included (session and user). SQL: the database's share of one "
             "request, its statements run again with their rows fetched (best of three); the rest is Python "
             "(ORM, views, templates).", ""]
    for url, info in runs:
        name = database_name(url)
        gen_path = OUT / f"{name}.json"
        gen = json.loads(gen_path.read_text()) if gen_path.exists() else {}
        lines += [f"## {info['server']}", ""]
        if gen:
            rows = {k.split(".")[-1]: v for k, v in gen["rows"].items()}
            lines += [
                f"Data: {gen['committees']} committees × {gen['years']} years × {gen['per_year']} proposals = "
                f"{rows.get('Proposal', 0):,} proposals, {rows.get('Assignment', 0):,} assignments, "
                f"{rows.get('Reply', 0):,} replies, {rows.get('Evaluation', 0):,} evaluations, "
                f"{rows.get('Event', 0):,} events; {sum(rows.values()):,} rows in all. "
                f"Generated in {gen['generate_seconds']:,.0f} s (+ {gen['migrate_seconds']:.0f} s migrate, "
                f"{gen['analyze_seconds']:.0f} s ANALYZE); database size {gen['size_bytes'] / 2**20:,.0f} MiB.", ""]
        lines += [f"Measured committee `{info['committee']}` ({info['proposals_in_committee']:,} of "
                  f"{info['proposals_total']:,} proposals) as office `{info['users']['office']}`, member "
                  f"`{info['users']['member']}`, unit `{info['users']['unit']}`. Load average (1 min) of the "
                  f"{os.cpu_count()}-CPU machine before and after: {info['load'][0]} → {info['load'][1]}.", "",
                  "| page | URL | p50 | p95 | p99 | mean | req/s | CPU p50 | queries | SQL | n |",
                  "| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |"]
        for r in info["results"]:
            if r.get("status") != 200:
                lines.append(f"| {r['page']} | `{r['name']}` | {r['status']} | | | | | | | | |")
                continue
            lines.append(f"| {r['page']} | `{r['url']}` | {r['p50']:.1f} | {r['p95']:.1f} | {r['p99']:.1f} | "
                         f"{r['mean']:.1f} | {r['rps']:.1f} | {r['cpu_p50']:.1f} | {r['queries']} | "
                         f"{r['sql_ms']:.1f} | {r['n']} |")
        lines.append("")
        slow = [r for r in info["results"] if r.get("slowest_ms", 0) >= SLOW_MS]
        if slow:
            lines += [f"Statements over {SLOW_MS} ms:", ""]
            lines += [f"- {r['page']}: {r['slowest_ms']:.0f} ms, `{shorten(r['slowest_sql'])}`" for r in slow]
            lines.append("")
    missing = {r["name"] for _, info in runs for r in info["results"] if r.get("status") == "not built yet"}
    if missing:
        lines += ["Not built yet when measured: " + ", ".join(f"`{m}`" for m in sorted(missing)) + ".", ""]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--database-url", action="append", dest="urls",
                        help="a database to measure (repeatable); by default every one generated under bench/out/")
    parser.add_argument("--requests", type=int, default=300, help="at most this many measured requests per page")
    parser.add_argument("--seconds", type=float, default=20, help="at most this long per page")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--json", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        child(args.child, Path(args.json), args.requests, args.seconds)
        return
    urls = args.urls or generated_urls()
    if not urls:
        sys.exit("No generated database under bench/out/: run bench/proposals_generate.py first.")
    runs = []
    for url in urls:
        print(f"{database_name(url)}:", flush=True)
        with tempfile.NamedTemporaryFile(suffix=".json") as tmp:
            subprocess.run([sys.executable, __file__, "--child", url, "--json", tmp.name, "--requests",
                            str(args.requests), "--seconds", str(args.seconds)], check=True)
            runs.append((url, json.loads(Path(tmp.name).read_text())))
    text = report(runs, args)
    RESULTS.mkdir(parents=True, exist_ok=True)
    path = RESULTS / f"{dt.date.today().isoformat()}-proposals.md"
    path.write_text(text)
    print()
    print(text)
    print(f"written to {path.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
