"""The two search engines behind one interface, chosen by the database vendor.

Both rank with BM25 (k1 = 1.2, b = 0.75; a word in the title counts ten times one in the body) over the
same words, so that they return the same order:

- **SQLite**: the FTS5 table ``search_fts`` (migrations 0002, 0003) and its ``bm25()``; the number of
  documents and their average length cover the whole table, the documents per word the committee's.
- **PostgreSQL**: the ``tsv`` column and its GIN index find the documents; the score is computed in SQL
  with the same formula, the weighted frequency of each word read with ``ts_rank_cd`` (which, for a
  one-word query, sums the weights of its occurrences), and the statistics taken over the committee's
  documents. ``pg_trgm`` on the segmented titles adds fuzzy title matches.

Every query is restricted to one committee twice: inside the engine, where every word carries its
committee's mark (``k00000042建设``), so that a search walks only its committee's postings; and by
``committee_id`` in the WHERE clause, which the caller builds as a queryset (committee, filters,
visibility) and the backend compiles into its SQL (``Scope``)."""

from __future__ import annotations

import functools
import math
from dataclasses import dataclass
from typing import Any, Protocol

from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import QuerySet

from xieshang.search.indexing import ParsedQuery
from xieshang.search.models import SearchDocument

K1, B = 1.2, 0.75
SIMILAR_TITLE_THRESHOLD = 0.6  # pg_trgm's default for word_similarity
TITLE_WEIGHT, BODY_WEIGHT = 10.0, 1.0
TABLE = SearchDocument._meta.db_table
COLUMNS = ("id", "committee_id", "kind", "object_id", "title", "body", "session_id", "status", "unit_ids",
           "category", "year", "data", "updated_at")


@dataclass(frozen=True)
class Scope:
    """Which documents a search may return: one committee's, narrowed by a WHERE clause over
    SearchDocument (visibility and filters) that Django compiled once, for the engines' SQL."""

    committee_id: int
    where: str
    params: tuple[Any, ...]

    @classmethod
    def of(cls, committee_id: int, documents: QuerySet[SearchDocument]) -> Scope:
        """The committee's documents within ``documents``. The committee comes first, whatever the
        queryset says: nothing can reach another committee's documents."""
        documents = documents.filter(committee_id=committee_id)
        query = documents.query
        try:
            sql, params = query.get_compiler(using=documents.db).compile(query.where)
        except EmptyResultSet:  # e.g. no kind left to search: nothing may match
            sql, params = "1 = 0", []
        return cls(committee_id, sql, tuple(params))


@dataclass(frozen=True)
class Match:
    """How the words of a query must appear: every group (``any_group`` False) or any group; with
    ``lacking_some`` as well, some groups but not all (the second tier of results, after those having every
    word). A group is a query word, matched whole or by all of its parts: 不达标 by 不达标 or 不 and 达标,
    never by 达标 alone."""

    query: ParsedQuery
    any_group: bool = False
    lacking_some: bool = False

    @property
    def phrases(self) -> tuple[str, ...]:
        """The phrases the score sums over, in order, as FTS5 numbers them for bm25(): PostgreSQL scores the
        same list, repeats included, so that the two sums agree. With ``any_group``, each distinct word
        once: FTS5 reports no instance of a phrase inside an alternative that did not match, so SQLite
        scores those documents with a flat query of the words (``SqliteBackend.page``)."""
        return self.query.words if self.any_group else self.query.phrases


class SearchBackend(Protocol):
    vendor: str

    def page(self, scope: Scope, match: Match, *, limit: int, offset: int) -> list[SearchDocument]:
        """The matching documents of the scope, best first, each with a ``score`` (higher is better)."""

    def counts(self, scope: Scope, match: Match) -> dict[str, int]:
        """How many documents of the scope match, by kind."""

    def similar_titles(self, scope: Scope, query: ParsedQuery, *, limit: int) -> list[SearchDocument]:
        """Documents of the scope whose title resembles the query (may be empty)."""


# The SQL below is assembled from constants and from the WHERE clause Django compiled (Scope); every value
# that comes from a user (the query's words, filters, ids) travels as a parameter.


SELECT = ", ".join(f'"{TABLE}"."{c}"' for c in COLUMNS)
ORDER = f'ORDER BY score DESC, "{TABLE}"."object_id" DESC, "{TABLE}"."kind"'


def _documents(sql: str, params: list[Any]) -> list[SearchDocument]:
    return list(SearchDocument.objects.raw(sql, params))


def _rows(sql: str, params: list[Any]) -> list[tuple[Any, ...]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def mark(committee_id: int) -> str:
    """The committee's prefix of every indexed word (migration 0003): 'k' and eight digits."""
    return f"k{committee_id:08d}"


class SqliteBackend:
    vendor = "sqlite"
    # CROSS JOIN keeps the full-text table the outer loop: SQLite must not walk the documents first.
    FROM = f'search_fts CROSS JOIN "{TABLE}" ON "{TABLE}"."id" = search_fts.rowid'
    SCORE = f"-bm25(search_fts, {TITLE_WEIGHT}, {BODY_WEIGHT})"

    @staticmethod
    def _phrase(committee_id: int, word: str) -> str:
        return '"' + (mark(committee_id) + word).replace('"', '""') + '"'

    def _expression(self, committee_id: int, match: Match) -> str:
        """An FTS5 query over the committee's own words."""
        def phrase(word: str) -> str:
            return self._phrase(committee_id, word)

        def alternative(words: tuple[str, ...]) -> str:
            return phrase(words[0]) if len(words) == 1 else "(" + " AND ".join(map(phrase, words)) + ")"

        groups = ["(" + " OR ".join(map(alternative, group)) + ")" for group in match.query.groups]
        every = " AND ".join(groups)
        if not match.any_group:
            return every
        some = " OR ".join(groups)
        return f"({some}) NOT ({every})" if match.lacking_some else some

    def page(self, scope: Scope, match: Match, *, limit: int, offset: int) -> list[SearchDocument]:
        expression = self._expression(scope.committee_id, match)
        if not match.any_group:
            sql = (f"SELECT {SELECT}, {self.SCORE} AS score FROM {self.FROM} "  # noqa: S608
                   f"WHERE search_fts MATCH %s AND ({scope.where}) {ORDER} LIMIT %s OFFSET %s")
            return _documents(sql, [expression, *scope.params, limit, offset])
        # Scored by the flat query of the words (every instance reported), chosen by the groups' query.
        words = " OR ".join(self._phrase(scope.committee_id, w) for w in match.phrases)
        sql = (f"SELECT {SELECT}, {self.SCORE} AS score FROM {self.FROM} "  # noqa: S608
               f"WHERE search_fts MATCH %s AND search_fts.rowid IN (SELECT rowid FROM search_fts WHERE "
               f"search_fts MATCH %s) AND ({scope.where}) {ORDER} LIMIT %s OFFSET %s")
        return _documents(sql, [words, expression, *scope.params, limit, offset])

    def counts(self, scope: Scope, match: Match) -> dict[str, int]:
        sql = (f'SELECT "{TABLE}"."kind", count(*) FROM {self.FROM} '  # noqa: S608
               f'WHERE search_fts MATCH %s AND ({scope.where}) GROUP BY "{TABLE}"."kind"')
        return dict(_rows(sql, [self._expression(scope.committee_id, match), *scope.params]))

    def similar_titles(self, scope: Scope, query: ParsedQuery, *, limit: int) -> list[SearchDocument]:
        # No trigram index on SQLite: the search for any of the words is its only fuzzy step.
        return []


class PostgresBackend:
    vendor = "postgresql"
    # ts_rank_cd with weights {D, C, B, A} = {0, 0, 0.1, 1} and a one-word query sums 0.1 per occurrence
    # in the body and 1 per occurrence in the title: times ten, FTS5's weighted frequency, a whole number
    # (rounded, since ts_rank_cd answers in single precision).
    FREQUENCY = "round(ts_rank_cd('{0,0,0.1,1}', v, to_tsquery('simple', %s), 0) * 10.0)::float8"

    @staticmethod
    def _lexeme(committee_id: int, word: str) -> str:
        return "'" + (mark(committee_id) + word).replace("\\", "\\\\").replace("'", "''") + "'"

    def _tsquery(self, committee_id: int, match: Match) -> str:
        def lexeme(word: str) -> str:
            return self._lexeme(committee_id, word)

        def alternative(words: tuple[str, ...]) -> str:
            return lexeme(words[0]) if len(words) == 1 else "(" + " & ".join(map(lexeme, words)) + ")"

        groups = ["(" + " | ".join(map(alternative, group)) + ")" for group in match.query.groups]
        every = " & ".join(groups)
        if not match.any_group:
            return every
        some = " | ".join(groups)
        return f"({some}) & !({every})" if match.lacking_some else some

    def _statistics(self, committee_id: int, words: tuple[str, ...]) -> tuple[int, float, list[int]]:
        """The committee's number of documents, their average length, and how many contain each word: one
        query, each count answered by the GIN index."""
        columns = ["count(*)", "coalesce(sum(size)::float8 / nullif(count(*), 0), 1.0)"]
        params: list[Any] = []
        for word in words:
            columns.append(f"(SELECT count(*) FROM \"{TABLE}\" WHERE tsv @@ to_tsquery('simple', %s))")  # noqa: S608
            params.append(self._lexeme(committee_id, word))
        row = _rows(f'SELECT {", ".join(columns)} FROM "{TABLE}" WHERE committee_id = %s',  # noqa: S608
                    [*params, committee_id])[0]
        return int(row[0]), float(row[1]) or 1.0, [int(n) for n in row[2:]]

    def _score(self, committee_id: int, words: tuple[str, ...]) -> tuple[list[str], str, list[Any]]:
        """BM25 as FTS5 computes it (idf floored at 1e-6), over the committee's statistics: the columns
        giving each word's weighted frequency (f0, f1 …, read once per row), and the score over them."""
        n, avgdl, hits = self._statistics(committee_id, words)
        columns, terms, params = [], [], []
        for i, (word, hit) in enumerate(zip(words, hits, strict=True)):
            idf = max(math.log((n - hit + 0.5) / (hit + 0.5)), 1e-6)
            columns.append(f"{self.FREQUENCY} AS f{i}")
            params.append(self._lexeme(committee_id, word))
            # The same operations in the same order as fts5_aux.c, in double precision.
            terms.append(f"{_f8(idf)} * ((f{i} * {_f8(K1 + 1.0)}) / (f{i} + {_f8(K1)} * ({_f8(1 - B)} + {_f8(B)} "
                         f"* size::float8 / {_f8(avgdl)})))")
        return columns, f"({' + '.join([_f8(0.0), *terms])})", params

    def page(self, scope: Scope, match: Match, *, limit: int, offset: int) -> list[SearchDocument]:
        # Every matching document is scored, only the page's rows are read whole. Each row's tsvector is
        # detoasted once (v, kept by OFFSET 0), not once per word.
        columns, score, params = self._score(scope.committee_id, match.phrases)
        sql = (f'SELECT {SELECT}, ranked.score FROM (SELECT id, {score} AS score, object_id, kind FROM ('  # noqa: S608
               f'SELECT id, object_id, kind, size, {", ".join(columns)} FROM ('
               f'SELECT "{TABLE}"."id", "{TABLE}"."object_id", "{TABLE}"."kind", "{TABLE}"."size", '
               f"tsv || ''::tsvector AS v FROM \"{TABLE}\" "
               f"WHERE tsv @@ to_tsquery('simple', %s) AND ({scope.where}) OFFSET 0) AS matched) AS weighed "
               f"ORDER BY score DESC, object_id DESC, kind LIMIT %s OFFSET %s) AS ranked "
               f'JOIN "{TABLE}" ON "{TABLE}"."id" = ranked.id ORDER BY ranked.score DESC, ranked.object_id DESC, '
               f"ranked.kind")
        return _documents(sql, [*params, self._tsquery(scope.committee_id, match), *scope.params, limit, offset])

    def counts(self, scope: Scope, match: Match) -> dict[str, int]:
        sql = (f'SELECT "{TABLE}"."kind", count(*) FROM "{TABLE}" '  # noqa: S608
               f"WHERE tsv @@ to_tsquery('simple', %s) AND ({scope.where}) GROUP BY \"{TABLE}\".\"kind\"")
        return dict(_rows(sql, [self._tsquery(scope.committee_id, match), *scope.params]))

    def similar_titles(self, scope: Scope, query: ParsedQuery, *, limit: int) -> list[SearchDocument]:
        """Titles sharing enough trigrams of their segmented words with the query's (pg_trgm's
        word_similarity at least 0.6, its default threshold), best first. Computed over the scope's
        documents through the committee's B-tree index: a province-wide trigram index would walk every
        committee's titles for a common trigram."""
        text = " ".join(query.words)
        if not text:
            return []
        sql = (f"SELECT * FROM (SELECT {SELECT}, word_similarity(%s, title_tokens) AS score "  # noqa: S608
               f'FROM "{TABLE}" WHERE ({scope.where})) AS titled WHERE score >= %s '
               f"ORDER BY score DESC, object_id DESC, kind LIMIT %s")
        return _documents(sql, [text, *scope.params, SIMILAR_TITLE_THRESHOLD, limit])


def _f8(value: float) -> str:
    """A double-precision literal that PostgreSQL reads back as exactly this Python float."""
    return f"{value!r}::float8"


@functools.cache
def _backends() -> dict[str, SearchBackend]:
    return {"sqlite": SqliteBackend(), "postgresql": PostgresBackend()}


def get_backend() -> SearchBackend:
    try:
        return _backends()[connection.vendor]
    except KeyError as exc:
        raise RuntimeError(f"search: no engine for the {connection.vendor} database") from exc
