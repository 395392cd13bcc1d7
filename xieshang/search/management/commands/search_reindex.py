from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xieshang.organisation.models import Committee
from xieshang.search.indexing import rebuild_index


class Command(BaseCommand):
    help = ("Rebuild the search index from the apps' own tables: every committee, or one. Searches keep "
            "answering from the old documents of a committee until its new ones are committed.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--committee", metavar="CODE", help="only this committee (its code)")

    def handle(self, *args: Any, **opts: Any) -> None:
        committee_id = None
        if opts["committee"]:
            committee = Committee.objects.filter(code=opts["committee"]).first()
            if committee is None:
                raise CommandError(f"No committee with the code {opts['committee']!r}.")
            committee_id = committee.pk
        progress = self.stdout.write if opts["verbosity"] > 1 else None
        report = rebuild_index(committee_id, progress=progress)
        kinds = ", ".join(f"{n} {kind}" for kind, n in report.documents.items())
        self.stdout.write(f"indexed {report.total} documents of {report.committees} committee(s) "
                          f"({kinds}) in {report.seconds:.1f} s")
