"""``manage.py text_similar --committee CODE``: similar proposals for each line of JSON read on stdin.

In, one JSON object a line: ``{"id": …, "title": "…", "body": "…"?, "exclude_id": 123?}``. The ``id`` is the
caller's own and is only echoed back (it need not be a proposal of the database). ``exclude_id``, when
given, is a proposal id of the database to leave out of the answer: pass it to look up a proposal that is
itself in the committee without finding it first. Nothing is ever left out otherwise.

Out, one JSON object a line, in the order read: ``{"id": …, "similar": [{"id": 123, "title": "…", "score":
0.4321}, …]}``, best first, at most ``--limit`` (10); ids there are proposal ids of the database. Every
proposal of the committee is a candidate, whatever its state (the command answers to whoever runs the
server, not to a user).

A line that is not a JSON object with a string ``title`` gets an error on stderr naming its line number,
and the command goes on with the next line, then exits with status 1; blank lines are skipped. UTF-8,
``ensure_ascii=False``."""

from __future__ import annotations

import json
import sys
from typing import Any, TextIO

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xieshang.organisation.models import Committee
from xieshang.search.similarity import similar_proposals


class JsonLinesCommand(BaseCommand):
    """Read JSON Lines on stdin, answer one line per good input line, report bad ones on stderr."""

    stealth_options = ("stdin",)
    default_limit = 10

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--committee", metavar="CODE", required=True, help="the committee's code")
        parser.add_argument("--limit", type=int, default=self.default_limit, help="results per line")

    def answer(self, committee: Committee, item: dict[str, Any], limit: int) -> dict[str, Any]:
        raise NotImplementedError

    def handle(self, *args: Any, **opts: Any) -> None:
        committee = Committee.objects.filter(code=opts["committee"]).first()
        if committee is None:
            raise CommandError(f"No committee with the code {opts['committee']!r}.")
        limit = max(1, opts["limit"])
        stream: TextIO = opts.get("stdin") or sys.stdin
        bad = 0
        for number, line in enumerate(stream, start=1):
            if not line.strip():
                continue
            item, problem = parse_line(line)
            if problem:
                self.stderr.write(f"line {number}: {problem}")
                bad += 1
                continue
            self.stdout.write(json.dumps(self.answer(committee, item, limit), ensure_ascii=False))
            self.stdout.flush()
        if bad:
            # Every good line was answered; the exit status still tells a script that some were not.
            raise CommandError(f"{bad} line(s) could not be read; the others were answered.")


def parse_line(line: str) -> tuple[dict[str, Any], str]:
    """The input object, or what is wrong with the line."""
    try:
        item = json.loads(line)
    except json.JSONDecodeError as exc:
        return {}, f"not valid JSON ({exc.msg} at column {exc.colno})"
    if not isinstance(item, dict):
        return {}, "not a JSON object"
    if "id" not in item:
        return {}, "no \"id\""
    if not isinstance(item.get("title"), str):
        return {}, "no \"title\" string"
    if not isinstance(item.get("body", ""), str):
        return {}, "\"body\" is not a string"
    exclude = item.get("exclude_id")
    if exclude is not None and (isinstance(exclude, bool) or not isinstance(exclude, int)):
        return {}, "\"exclude_id\" is not a proposal id"
    return item, ""


class Command(JsonLinesCommand):
    help = __doc__.split("\n\n")[0] if __doc__ else ""

    def answer(self, committee: Committee, item: dict[str, Any], limit: int) -> dict[str, Any]:
        found = similar_proposals(committee_id=committee.pk, title=item["title"], body=item.get("body", ""),
                                  exclude_id=item.get("exclude_id"), limit=limit)
        return {"id": item["id"], "similar": [{"id": m.proposal.pk, "title": m.proposal.title, "score": m.score}
                                              for m in found]}


__all__ = ["Command", "JsonLinesCommand", "parse_line"]
