from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xieshang.core.errors import DomainError
from xieshang.organisation.models import Committee
from xieshang.organisation.services import committee_create


class Command(BaseCommand):
    help = "Onboard a committee with the standard sectors, offices and default rules."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--code", required=True)
        parser.add_argument("--name", required=True)
        parser.add_argument("--level", default=Committee.Level.COUNTY, choices=Committee.Level.values)
        parser.add_argument("--parent", help="code of the parent committee")
        parser.add_argument("--region-code", default="")

    def handle(self, *args: Any, **opts: Any) -> None:
        parent = None
        if opts["parent"]:
            parent = Committee.objects.filter(code=opts["parent"]).first()
            if parent is None:
                raise CommandError(f"no committee with code {opts['parent']}")
        try:
            committee = committee_create(actor=None, code=opts["code"], name=opts["name"], level=opts["level"],
                                         parent=parent, region_code=opts["region_code"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(self.style.SUCCESS(f"created {committee.code}: {committee.name}"))
