"""The search index: one row per searchable thing (a proposal, a reply, a member, a unit …), holding the
normalised text shown in results, the segmented words the engines index, and the fields results are
filtered on. The rows are derived data: ``manage.py search_reindex`` rebuilds them from the apps' own
tables at any time.

The engines index ``title_tokens`` and ``tokens``, each word marked with its committee, through
structures the ORM does not model, created by vendor-guarded migrations (0002, 0003): an FTS5 table kept
in step by triggers on SQLite, a generated ``tsvector`` column with a GIN index (and a trigram index on
titles) on PostgreSQL. See docs/search.md."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class SearchDocument(models.Model):
    # Kinds are registered by the apps (xieshang.search.indexing.register_kind), not listed here, so that
    # a new app adds its documents without a migration.
    committee = models.ForeignKey("organisation.Committee", on_delete=models.CASCADE, related_name="+",
                                  verbose_name=_("committee"))
    kind = models.CharField(_("kind"), max_length=20)
    object_id = models.PositiveBigIntegerField(_("object id"))
    title = models.CharField(_("title"), max_length=300)
    body = models.TextField(_("text"), blank=True)  # normalised: what snippets are cut from
    # Words as the engines see them: segmented, normalised, lower-case, joined by single spaces.
    title_tokens = models.TextField(blank=True)
    tokens = models.TextField(blank=True)
    # Number of indexed words (title and body): BM25's document length.
    size = models.PositiveIntegerField(default=0)
    # Filters. Plain ids rather than foreign keys: the index is rebuilt from the source rows, never the
    # other way round, and a deleted session must not cascade into it.
    session_id = models.PositiveBigIntegerField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=20, blank=True)
    unit_ids = models.CharField(max_length=400, blank=True)  # "|3|17|": matched with contains "|17|"
    category = models.CharField(_("category"), max_length=30, blank=True)
    year = models.PositiveSmallIntegerField(_("year"), null=True, blank=True)
    # What a result shows besides title and snippet (reference number, unit, sector …), per kind.
    data = models.JSONField(default=dict, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("search document")
        verbose_name_plural = _("search documents")
        constraints = [models.UniqueConstraint(fields=["kind", "object_id"], name="searchdocument_unique_object")]
        indexes = [models.Index(fields=["committee", "kind"]), models.Index(fields=["committee", "size"])]

    def __str__(self) -> str:
        return f"{self.kind}:{self.object_id} {self.title}"

    @staticmethod
    def encode_ids(ids: list[int] | set[int]) -> str:
        return f"|{'|'.join(str(i) for i in sorted(ids))}|" if ids else ""
