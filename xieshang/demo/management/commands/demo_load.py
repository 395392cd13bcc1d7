from __future__ import annotations

import time
import unicodedata
from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser
from django.db import transaction

from xieshang.core.errors import DomainError
from xieshang.demo.generator import (
    DEFAULT_SEED,
    DEMO_CODE,
    DEMO_PASSWORD,
    NAMED_ACCOUNTS,
    PLATFORM_USERNAME,
    DemoAccount,
    build_demo,
    demo_accounts,
    demo_committee,
    demo_reset,
)
from xieshang.organisation.models import HandlingUnit, Member, MemberTerm


def _width(text: str) -> int:
    """Columns a string takes in a terminal: Chinese characters take two."""
    return sum(2 if unicodedata.east_asian_width(ch) in "WF" else 1 for ch in text)


def _pad(text: str, width: int) -> str:
    return text + " " * (width - _width(text))


class Command(BaseCommand):
    help = (f"Load the demo committee ({DEMO_CODE}, 示范县政协) with its members, units and accounts. "
            "Does nothing when it exists already, except list the accounts.")

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("--reset", action="store_true",
                            help="delete the demo committee and its accounts first, then build it again")
        parser.add_argument("--seed", type=int, default=DEFAULT_SEED, help="seed of the generator")
        parser.add_argument("--no-history", action="store_true",
                            help="only the organisation and accounts, without the apps' history (fast)")
        parser.add_argument("--all", action="store_true", dest="list_all",
                            help="list every account, not only the documented ones")

    def handle(self, *args: Any, **opts: Any) -> None:
        started = time.monotonic()
        try:
            # One transaction: a failed rebuild leaves the previous demo as it was.
            with transaction.atomic():
                if opts["reset"] and demo_reset():
                    self.stdout.write("deleted the previous demo committee and its accounts")
                committee = demo_committee()
                created = committee is None
                if created:
                    committee = build_demo(seed=opts["seed"], history=[] if opts["no_history"] else None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        assert committee is not None

        serving = Member.objects.filter(committee=committee, terms__term__is_current=True,
                                        terms__status=MemberTerm.Status.SERVING).count()
        units = HandlingUnit.objects.filter(committee=committee).count()
        summary = f"{committee.name} ({committee.code}): {serving} serving members, {units} handling units"
        if created:
            self.stdout.write(self.style.SUCCESS(f"created {summary} in {time.monotonic() - started:.1f} s"))
        else:
            self.stdout.write(f"{summary} already exist; nothing created (use --reset to rebuild)")
        self._print_accounts(demo_accounts(committee), list_all=opts["list_all"])

    def _print_accounts(self, accounts: list[DemoAccount], *, list_all: bool) -> None:
        shown = accounts if list_all else [
            a for a in accounts if a.username in NAMED_ACCOUNTS or a.username == PLATFORM_USERNAME
        ]
        headers = ("username", "role", "name")
        widths = [max(_width(h), *(_width(getattr(a, f)) for a in shown)) for h, f in
                  zip(headers, ("username", "roles", "name"), strict=True)]
        self.stdout.write("")
        self.stdout.write("  ".join(_pad(h, w) for h, w in zip(headers, widths, strict=True)).rstrip())
        self.stdout.write("  ".join("-" * w for w in widths))
        for a in shown:
            self.stdout.write("  ".join(_pad(v, w) for v, w in
                                        zip((a.username, a.roles, a.name), widths, strict=True)).rstrip())
        hidden = [a.username for a in accounts if a not in shown]
        if hidden:
            units = [u for u in hidden if u.startswith("unit-")]
            members = [u for u in hidden if u not in units]
            groups = [f"{len(names)} {label} ({names[0]} … {names[-1]})"
                      for label, names in (("unit liaisons", units), ("members", members)) if names]
            self.stdout.write(f"… and {', '.join(groups)}; --all lists them")
        self.stdout.write("")
        self.stdout.write(f"Every demo account's password is: {DEMO_PASSWORD}")
        self.stdout.write("Sign in at http://127.0.0.1:8000/accounts/login/ (the address `make demo` serves); "
                          f"the '{PLATFORM_USERNAME}' account onboards committees at /directory/platform/committees/.")
