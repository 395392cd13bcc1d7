"""Abstract bases shared by every domain model."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        abstract = True


class CommitteeOwned(models.Model):
    """Every record belongs to one committee (the tenant); selectors filter on this field."""

    committee = models.ForeignKey(
        "organisation.Committee", on_delete=models.CASCADE, related_name="+", verbose_name=_("committee")
    )

    class Meta:
        abstract = True
