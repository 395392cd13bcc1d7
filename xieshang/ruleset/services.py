"""Changing a committee's rules and calendar; both record an event in the same transaction."""

from __future__ import annotations

import datetime as dt
import json
import re
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.ledger.services import event_record
from xieshang.ruleset.defaults import RULES_BY_KEY, RuleDef
from xieshang.ruleset.models import CalendarDay, RuleSet


def _clean_value(rule: RuleDef, raw: Any) -> Any:
    if rule.unit == "choice":
        if raw not in {c for c, _label in rule.choices}:
            raise DomainError(_("%(rule)s: choose one of the listed options.") % {"rule": rule.label})
        return raw
    if rule.unit == "list":
        value = json.loads(raw) if isinstance(raw, str) else raw
        if not isinstance(value, list) or not value:
            raise DomainError(_("%(rule)s: give at least one class.") % {"rule": rule.label})
        codes = []
        for item in value:
            if not isinstance(item, dict) or not str(item.get("code", "")).strip() or not str(
                    item.get("label", "")).strip():
                raise DomainError(_("%(rule)s: every class needs a code and a label.") % {"rule": rule.label})
            codes.append(item["code"])
        if len(set(codes)) != len(codes):
            raise DomainError(_("%(rule)s: class codes must differ.") % {"rule": rule.label})
        return value
    try:
        number = int(raw)
    except (TypeError, ValueError) as exc:
        raise DomainError(_("%(rule)s: enter a whole number.") % {"rule": rule.label}) from exc
    if not rule.minimum <= number <= rule.maximum:
        raise DomainError(_("%(rule)s: must be between %(min)d and %(max)d.")
                          % {"rule": rule.label, "min": rule.minimum, "max": rule.maximum})
    return number


def ruleset_update(*, actor: Any, committee_id: int, year: int, values: dict[str, Any]) -> RuleSet:
    """Set the values a committee uses from ``year`` on. A value equal to the cited default is stored
    anyway: the committee decided it. Keys not given keep what the year's rule set already had."""
    cleaned = {}
    for key, raw in values.items():
        if key not in RULES_BY_KEY:
            raise DomainError(_("Unknown rule %(key)s.") % {"key": key})
        cleaned[key] = _clean_value(RULES_BY_KEY[key], raw)
    if cleaned.get("proposal.reply_max_months", 99) < cleaned.get("proposal.reply_months", 0):
        raise DomainError(_("The hard maximum for a reply cannot be shorter than the normal reply time."))
    with transaction.atomic():
        ruleset, _created = RuleSet.objects.select_for_update().get_or_create(committee_id=committee_id, year=year)
        before = dict(ruleset.values)
        ruleset.values = {**before, **cleaned}
        ruleset.updated_by = actor
        ruleset.save(update_fields=["values", "updated_by", "updated_at"])
        changed = sorted(k for k in cleaned if before.get(k) != cleaned[k])
        event_record(committee_id=committee_id, actor=actor, verb="ruleset.changed", target=ruleset,
                     data={"year": year, "changed": {k: [before.get(k), cleaned[k]] for k in changed}})
    return ruleset


LINE_RE = re.compile(
    r"^\s*(\d{4}-\d{1,2}-\d{1,2})\s*(?:(?:至|到|~|-{2}|—)\s*(\d{4}-\d{1,2}-\d{1,2}))?\s+(休|班|rest|work)(?:\s+(.*))?\s*$"
)


def parse_calendar_lines(text: str) -> list[tuple[dt.date, bool, str]]:
    """Lines like ``2027-02-06 至 2027-02-13 休 春节`` or ``2027-02-14 班 春节调休``."""
    days: list[tuple[dt.date, bool, str]] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        m = LINE_RE.match(line)
        if not m:
            raise DomainError(
                _("Line %(n)d is not \"date [至 date] 休|班 note\": %(line)s") % {"n": number, "line": line})
        try:
            start = dt.date.fromisoformat(_pad(m.group(1)))
            end = dt.date.fromisoformat(_pad(m.group(2))) if m.group(2) else start
        except ValueError as exc:
            raise DomainError(_("Line %(n)d has an impossible date.") % {"n": number}) from exc
        if end < start or (end - start).days > 31:
            raise DomainError(_("Line %(n)d: the range must run forward and span at most a month.") % {"n": number})
        workday = m.group(3) in ("班", "work")
        day = start
        while day <= end:
            days.append((day, workday, (m.group(4) or "").strip()[:60]))
            day += dt.timedelta(days=1)
    return days


def _pad(s: str) -> str:
    y, mth, d = s.split("-")
    return f"{y}-{int(mth):02d}-{int(d):02d}"


def calendar_set_days(*, actor: Any, committee_id: int, days: list[tuple[dt.date, bool, str]]) -> int:
    """Declare days as working or rest days for this committee (replacing earlier declarations)."""
    if not days:
        raise DomainError(_("Give at least one day."))
    with transaction.atomic():
        for day, workday, note in days:
            row, _created = CalendarDay.objects.update_or_create(
                committee_id=committee_id, date=day, defaults={"is_workday": workday, "note": note})
            event_record(committee_id=committee_id, actor=actor, verb="ruleset.calendar_day_set", target=row,
                         to_state="workday" if workday else "rest", note=note)
    return len(days)


def calendar_clear_day(*, actor: Any, committee_id: int, day: dt.date) -> None:
    with transaction.atomic():
        row = CalendarDay.objects.filter(committee_id=committee_id, date=day).first()
        if row is None:
            raise DomainError(_("No declaration for that day."))
        event_record(committee_id=committee_id, actor=actor, verb="ruleset.calendar_day_cleared", target=row)
        row.delete()
