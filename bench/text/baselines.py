"""The baselines the text benchmark compares Xieshang with. Used only by bench/text/evaluate.py.

- ``trigram``: PostgreSQL pg_trgm's similarity() re-implemented in Python (so SQLite runs give the same figures;
  on PostgreSQL evaluate.py asks the database itself and checks the two agree). Decidim's similar-proposal step
  keeps proposals with ``GREATEST(similarity(title, :title), similarity(body, :body)) >= 0.25``.
- ``TfidfChar``: TF-IDF over character 1-3-grams with cosine similarity, as scikit-learn's
  ``TfidfVectorizer(analyzer="char", ngram_range=(1, 3))`` computes it (raw term counts, smoothed idf, l2 norm),
  in pure Python because the project's environment has neither numpy nor scikit-learn.
- ``icontains``: Django's ``title__icontains`` as adhocracy+ filters proposals: a substring test on the title.
- ``first_cut_units``: the first-cut unit suggester that shipped with the proposals app
  (xieshang/proposals/suggest.py at commit dedcdfa), copied so that the comparison survives its replacement.

None of them normalises traditional characters or segments words: that is what they are."""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Sequence

# --- pg_trgm ----------------------------------------------------------------------------------------------


def trigrams(text: str) -> set[str]:
    """pg_trgm's trigram set: lower-cased words (runs of alphanumeric characters, which includes CJK), each
    padded with two spaces in front and one behind."""
    out: set[str] = set()
    for word in re.findall(r"[^\W_]+", text.lower()):
        padded = f"  {word} "
        out.update(padded[i:i + 3] for i in range(len(padded) - 2))
    return out


def trigram_similarity(a: str | set[str], b: str | set[str]) -> float:
    """pg_trgm's similarity(): shared trigrams over the union."""
    ta = a if isinstance(a, set) else trigrams(a)
    tb = b if isinstance(b, set) else trigrams(b)
    if not ta or not tb:
        return 0.0
    shared = len(ta & tb)
    return shared / (len(ta) + len(tb) - shared)


DECIDIM_THRESHOLD = 0.25
DECIDIM_LIMIT = 10


class Trigram:
    """Decidim's rule over a fixed set of documents: title against title, body against body, the greater."""

    def __init__(self, docs: Sequence[tuple[int, str, str]]) -> None:
        self.docs = [(pk, trigrams(title), trigrams(body)) for pk, title, body in docs]

    def score_all(self, title: str, body: str) -> list[tuple[int, float]]:
        tt, tb = trigrams(title), trigrams(body) if body else set()
        return [(pk, max(trigram_similarity(tt, dt), trigram_similarity(tb, db) if tb else 0.0))
                for pk, dt, db in self.docs]

    def search(self, query: str) -> list[tuple[int, float]]:
        """A search box with trigram similarity: the query against the title and against the body."""
        return self.score_all(query, query)


# --- TF-IDF over character n-grams --------------------------------------------------------------------------


def char_ngrams(text: str, low: int = 1, high: int = 3) -> Counter[str]:
    """scikit-learn's analyzer="char": n-grams over the lower-cased text as it is, spaces and punctuation
    included."""
    text = re.sub(r"\s+", " ", text.lower())
    grams: Counter[str] = Counter()
    for n in range(low, high + 1):
        grams.update(text[i:i + n] for i in range(len(text) - n + 1))
    return grams


class TfidfChar:
    def __init__(self, docs: Sequence[tuple[int, str]]) -> None:
        counts = [(pk, char_ngrams(text)) for pk, text in docs]
        df: Counter[str] = Counter()
        for _, grams in counts:
            df.update(grams.keys())
        n = len(counts)
        self.idf = {g: math.log((1 + n) / (1 + d)) + 1 for g, d in df.items()}
        self.vectors = [(pk, self._weigh(grams)) for pk, grams in counts]
        self.by_pk = dict(self.vectors)
        # Inverted index so that a query touches only the documents sharing an n-gram with it.
        self.postings: dict[str, list[tuple[int, float]]] = {}
        for pk, vec in self.vectors:
            for g, w in vec.items():
                self.postings.setdefault(g, []).append((pk, w))

    def _weigh(self, grams: Counter[str]) -> dict[str, float]:
        vec = {g: c * self.idf.get(g, 0.0) for g, c in grams.items() if g in self.idf}
        norm = math.sqrt(sum(w * w for w in vec.values())) or 1.0
        return {g: w / norm for g, w in vec.items()}

    def vector(self, text: str) -> dict[str, float]:
        return self._weigh(char_ngrams(text))

    def score_all(self, text: str) -> list[tuple[int, float]]:
        scores: Counter[int] = Counter()
        for g, w in self.vector(text).items():
            for pk, dw in self.postings.get(g, ()):
                scores[pk] += w * dw
        return list(scores.items())

    def pair(self, a: str, b: str) -> float:
        va, vb = self.vector(a), self.vector(b)
        return sum(w * vb.get(g, 0.0) for g, w in va.items())


# --- icontains -------------------------------------------------------------------------------------------

_FRAME = re.compile(r"^(关于|關於)|(的建议|的建議|的提案)$")


def title_core(title: str) -> str:
    """What a member would type to look for a proposal like this one: the subject without 关于……的建议."""
    return _FRAME.sub("", title.strip()) or title


def icontains(query: str, title: str) -> bool:
    return query.lower() in title.lower()


# --- Handling units ---------------------------------------------------------------------------------------

_UNIT_PREFIX = re.compile(
    r"^(国家税务总局示范县|中国电信示范县|国网示范县|共青团示范县|示范县|市生态环境局示范|县委|县|市)")
_UNIT_SUFFIX = re.compile(r"(委员会办公室|委员会|联合会|管理局|事务局|分公司|有限公司|公司|分局|中心|局|部|院|会)$")


def unit_words(name: str, short_name: str = "") -> list[str]:
    """The words of a unit's name an office would search titles for: 县住房和城乡建设局 -> 住房, 城乡建设;
    县委组织部 -> 组织."""
    words: list[str] = []
    for raw in (name, short_name):
        core = _UNIT_SUFFIX.sub("", _UNIT_PREFIX.sub("", raw or ""))
        words += [w for w in re.split(r"[和与及]", core) if len(w) >= 2]
    return list(dict.fromkeys(words))


def icontains_units(title: str, units: Iterable[tuple[str, str, str]]) -> list[tuple[str, float]]:
    """Units whose name words occur in the title, longest match first."""
    scored = []
    for name, short_name, _duties in units:
        hit = sum(len(w) for w in unit_words(name, short_name) if w in title)
        if hit:
            scored.append((name, float(hit)))
    return sorted(scored, key=lambda s: -s[1])


_FIRST_CUT_STOP = set("关于的建议提案加强推进进一步我县全县问题工作和与及对在")


def _bigrams(text: str) -> set[str]:
    chars = [c for c in text if "\u4e00" <= c <= "\u9fff" and c not in _FIRST_CUT_STOP]
    return {a + b for a, b in zip(chars, chars[1:], strict=False)}


def first_cut_units(title: str, body: str, units: Iterable[tuple[str, str, str]],
                    past_by_category: dict[str, Counter[str]] | None = None, category: str = ""
                    ) -> list[tuple[str, float]]:
    """xieshang/proposals/suggest.py as first shipped: character bigrams shared with the unit's name and duties
    (0.7), and the share of this category's past assignments the unit led (0.3)."""
    words = _bigrams(title + body[:300])
    past = (past_by_category or {}).get(category, Counter())
    total_past = sum(past.values()) or 1
    scored = []
    for name, short_name, duties in units:
        shared = words & _bigrams(name + short_name + duties)
        score = 0.7 * len(shared) / (len(words) or 1) + 0.3 * past.get(name, 0) / total_past
        if score > 0:
            scored.append((name, score))
    return sorted(scored, key=lambda s: (-s[1], s[0]))


def knn_units(neighbours: Iterable[tuple[str, float]], duty_scores: Iterable[tuple[str, float]], k: int = 10
              ) -> list[tuple[str, float]]:
    """Units from the k most similar past proposals (the unit that led each, weighted by similarity) plus the
    similarity of the text to each unit's name and duties: how a lexical baseline suggests units."""
    votes: Counter[str] = Counter()
    for unit, score in sorted(neighbours, key=lambda n: -n[1])[:k]:
        votes[unit] += score
    for unit, score in duty_scores:
        votes[unit] += score
    return sorted(((u, s) for u, s in votes.items() if s > 0), key=lambda s: -s[1])
