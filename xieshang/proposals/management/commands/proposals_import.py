"""manage.py proposals_import FILE --committee CODE [--create-units] [--check]

Imports a committee's past proposals from an .xlsx or .csv ledger (xieshang/proposals/history_import.py
has the rules). Every row is checked first; if any row cannot be placed, each one is listed with its row
number and nothing is imported (exit status 1)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from xieshang.core.errors import DomainError
from xieshang.organisation.importing import MAX_FILE_BYTES
from xieshang.organisation.models import Committee
from xieshang.proposals import history_import


class Command(BaseCommand):
    help = "Import past proposals from an Excel (.xlsx) or CSV ledger: all rows, or none if any row is wrong."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", help="the .xlsx or .csv file (CSV in UTF-8, with or without BOM, or GBK)")
        parser.add_argument("--committee", required=True, help="the committee's code")
        parser.add_argument("--create-units", action="store_true",
                            help="create the handling units the file names but the committee does not have")
        parser.add_argument("--check", action="store_true", help="check the file and report; import nothing")

    def handle(self, *args: Any, **opts: Any) -> None:
        try:
            committee = Committee.objects.get(code=opts["committee"])
        except Committee.DoesNotExist as exc:
            raise CommandError(f"No committee with the code {opts['committee']!r}.") from exc
        path = Path(opts["file"])
        if path.suffix.lower() not in (".xlsx", ".csv"):
            raise CommandError("The file must end in .xlsx or .csv.")
        try:
            with path.open("rb") as fh:
                data = fh.read(MAX_FILE_BYTES + 1)
        except OSError as exc:
            raise CommandError(f"Cannot read {path}: {exc.strerror}") from exc
        if len(data) > MAX_FILE_BYTES:
            raise CommandError(f"The file is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB.")
        try:
            if opts["check"]:
                plan = history_import.check_rows(committee=committee, sheet=history_import.read_table(data, path.name),
                                                 create_units=opts["create_units"])
                created: list[Any] = []
            else:
                plan, created = history_import.history_import_file(
                    actor=None, committee=committee, data=data, filename=path.name,
                    create_units=opts["create_units"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc

        for note in plan.notes:
            self.stdout.write(f"row {note['row']} · {note['column']}: {note['message']}")
        if plan.errors:
            for e in plan.errors:
                self.stderr.write(f"row {e['row']} · {e['column']}: {e['message']}")
            rows = len({e["row"] for e in plan.errors})
            hint = ""
            if plan.only_unknown_units and not opts["create_units"]:
                hint = " Add the units to the directory, or run again with --create-units."
            raise CommandError(f"{rows} of {plan.total} rows cannot be placed; nothing was imported.{hint}")
        if opts["check"]:
            self.stdout.write(self.style.SUCCESS(f"All {plan.total} rows are valid; nothing was imported (--check)."))
            return
        sessions = len(plan.sessions.new_sessions) if plan.sessions else 0
        self.stdout.write(self.style.SUCCESS(
            f"Imported {len(created)} proposals into {committee.code}; created {sessions} sessions and "
            f"{len(plan.new_units)} units."))
