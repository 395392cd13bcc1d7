from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.management.base import BaseCommand, CommandParser
from django.utils import timezone

from xieshang.proposals.services import proposals_tick


class Command(BaseCommand):
    help = "Run the proposals' deadline job: lapse invitations, let assignments stand, remind, escalate."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--date", help="act as if today were this date (YYYY-MM-DD)")

    def handle(self, *args: Any, **opts: Any) -> None:
        on = dt.date.fromisoformat(opts["date"]) if opts["date"] else timezone.localdate()
        r = proposals_tick(on=on)
        self.stdout.write(f"{on}: submitted: {r.submitted}, back to draft: {r.back_to_draft}, stood: {r.stood}, "
                          f"reminded: {r.reminded}, escalated: {r.escalated}")
        for note in r.notes:
            self.stdout.write(note)
