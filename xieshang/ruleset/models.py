"""Per-committee rules, versioned by year, and the committee's own calendar overrides."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from xieshang.core.models import CommitteeOwned


class RuleSet(CommitteeOwned):
    """The values a committee set for one year. Keys it leaves out take the cited default; a year
    without a rule set takes the latest earlier one."""

    year = models.PositiveSmallIntegerField(_("year"))
    values = models.JSONField(_("values"), default=dict, blank=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    class Meta:
        ordering = ["committee", "-year"]
        verbose_name = _("rule set")
        verbose_name_plural = _("rule sets")
        constraints = [models.UniqueConstraint(fields=["committee", "year"], name="ruleset_unique_year")]

    def __str__(self) -> str:
        return f"{self.committee_id}:{self.year}"


class CalendarDay(CommitteeOwned):
    """A day the committee declares a working day or a rest day, overriding the national calendar
    (for years the calendar package does not know yet, or local arrangements)."""

    date = models.DateField(_("date"))
    is_workday = models.BooleanField(_("working day"))
    note = models.CharField(_("note"), max_length=60, blank=True)

    class Meta:
        ordering = ["committee", "date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [models.UniqueConstraint(fields=["committee", "date"], name="calendarday_unique")]

    def __str__(self) -> str:
        return f"{self.date} {'班' if self.is_workday else '休'}"
