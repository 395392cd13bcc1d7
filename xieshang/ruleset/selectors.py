"""Reading a committee's rules: the values in force for a year, each falling back to its cited default."""

from __future__ import annotations

import copy
import datetime as dt
from typing import Any

from django.utils import timezone

from xieshang.ruleset.defaults import RULES, RULES_BY_KEY
from xieshang.ruleset.models import RuleSet


class Rules:
    """The rules in force for one committee and year; ``rules["proposal.reply_months"]``."""

    def __init__(self, values: dict[str, Any], year: int, source_year: int | None) -> None:
        self._values = values
        self.year = year
        self.source_year = source_year  # the rule set's year, None when every value is a default

    def __getitem__(self, key: str) -> Any:
        if key not in RULES_BY_KEY:
            raise KeyError(f"unknown rule {key!r}; declare it in xieshang/ruleset/defaults.py")
        return self._values.get(key, copy.deepcopy(RULES_BY_KEY[key].default))

    def is_default(self, key: str) -> bool:
        return key not in self._values

    def reply_class_codes(self) -> list[str]:
        return [c["code"] for c in self["proposal.reply_classes"]]

    def items(self) -> list[tuple[Any, Any, bool]]:
        return [(r, self[r.key], self.is_default(r.key)) for r in RULES]


def rules_for(*, committee_id: int, on: dt.date | None = None, year: int | None = None) -> Rules:
    """The rules in force on a date (or in a year): the latest rule set of that year or before."""
    year = year or (on or timezone.localdate()).year
    ruleset = (
        RuleSet.objects.filter(committee_id=committee_id, year__lte=year).order_by("-year").first()
    )
    if ruleset is None:
        return Rules({}, year, None)
    known = {k: v for k, v in ruleset.values.items() if k in RULES_BY_KEY}
    return Rules(known, year, ruleset.year)
