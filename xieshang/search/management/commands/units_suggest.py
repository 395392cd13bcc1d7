"""``manage.py units_suggest --committee CODE``: the likeliest handling units for each line of JSON read on
stdin.

In, one JSON object a line: ``{"id": …, "title": "…", "body": "…"?, "exclude_id": 123?}``, as for
``text_similar``: the ``id`` is the caller's own and only echoed back; ``exclude_id``, when given, is a
proposal of the database whose own assignments must not vote (to evaluate on the committee's own
history without the answer in it).

Out, one JSON object a line: ``{"id": …, "units": [{"name": "县生态环境局", "score": 0.812}, …]}``, best
first, at most ``--limit`` (5). Bad lines: an error on stderr naming the line; the command goes on, then
exits with status 1."""

from __future__ import annotations

from typing import Any

from xieshang.organisation.models import Committee
from xieshang.search.management.commands.text_similar import JsonLinesCommand
from xieshang.search.units import suggest_units_for_text


class Command(JsonLinesCommand):
    help = __doc__.split("\n\n")[0] if __doc__ else ""
    default_limit = 5

    def answer(self, committee: Committee, item: dict[str, Any], limit: int) -> dict[str, Any]:
        found = suggest_units_for_text(committee_id=committee.pk, title=item["title"], body=item.get("body", ""),
                                       exclude_id=item.get("exclude_id"), limit=limit)
        return {"id": item["id"], "units": [{"name": s.unit.name, "score": s.score} for s in found]}
