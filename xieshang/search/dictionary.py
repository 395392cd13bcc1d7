"""The committee's dictionary: the one place that says which words of a committee the segmenter must keep
whole, for the search index (``indexing``) and the similarity engine (``similarity``, ``units``) alike.

The segmenter is process-wide: whatever one part teaches, the other segments with. Keeping one dictionary
means a text is cut the same way whichever part of the process saw the committee first.

It holds the units' names as members write them (县住房和城乡建设局, 住房和城乡建设局, 县住建局, 住建局,
县委组织部, 组织部), the townships and their stems (洛门镇, 洛门), the sectors and the special committees;
which names mean the same unit (a query for 住建局 also finds 县住房和城乡建设局); and the places, for the
similarity engine, which keeps township names out of a subject's words.

``vocabulary(committee_id)`` teaches the segmenter and returns the dictionary; it checks in one query
whether the committee's units, sectors or special committees changed, and learns them again if so."""

from __future__ import annotations

import hashlib
import re
import threading
from dataclasses import dataclass, field
from typing import Any

from django.db import connection

from xieshang.search.text import normalise, segmenter

UNIT_PREFIX = re.compile(r"^(中共)?[县市区州旗](委(?=.{2,}))?")
_PLACE_SUFFIX = re.compile(r"(镇|乡|街道|街道办事处|办事处)$")
# A unit's name without its first character is the same unit (县住建局, 住建局), except the party's
# offices: 县委组织部 stays (委组织部 is no word); unit_name_variants gives 组织部 besides.
_PREFIXES = ("县", "市", "区")


def _plain(name: str) -> str:
    return normalise(name).replace(" ", "").lower()


def unit_name_variants(name: str, short_name: str = "") -> list[str]:
    """How a unit is written in proposals: 县住房和城乡建设局, 住房和城乡建设局, 县住建局, 住建局,
    县委组织部, 组织部; a township also by its stem (洛门镇 → 洛门)."""
    out: list[str] = []
    for n in (name, short_name):
        n = _plain(n)
        if not n:
            continue
        out.append(n)
        bare = UNIT_PREFIX.sub("", n)
        if len(bare) >= 2:
            out.append(bare)
        stem = _PLACE_SUFFIX.sub("", bare)
        if stem != bare and len(stem) >= 2:
            out.append(stem)
    return list(dict.fromkeys(out))


def same_unit_names(name: str, short_name: str = "") -> set[str]:
    """The names a query may use for one unit interchangeably: its name and short name, each also without
    a leading 县/市/区 (县住建局 and 住建局)."""
    names = {_plain(n) for n in (name, short_name) if n}
    names |= {n[1:] for n in names if n.startswith(_PREFIXES) and len(n) > 3 and not n.startswith("县委")}
    return {n for n in names if n}


@dataclass(frozen=True)
class Vocabulary:
    """A committee's own words, which of them name the same unit, and its places (townships)."""

    version: tuple[Any, ...] = ()
    words: frozenset[str] = frozenset()
    aliases: dict[str, tuple[str, ...]] = field(default_factory=dict)
    places: tuple[str, ...] = ()  # longest first, so that 洛门镇 is found before 洛门

    @property
    def key(self) -> str:
        """Changes when the words change: what the similarity engine's cached segmentations depend on."""
        return hashlib.sha1("|".join(sorted(self.words)).encode(), usedforsecurity=False).hexdigest()[:12]

    def places_in(self, text: str) -> frozenset[str]:
        """The townships a text names, each by its stem (洛门镇 and 洛门 are one place)."""
        found: set[str] = set()
        for place in self.places:
            if place in text and not any(place in f for f in found):
                found.add(place)
        return frozenset(_PLACE_SUFFIX.sub("", f) for f in found)


EMPTY = Vocabulary()
_known: dict[int, Vocabulary] = {}
_lock = threading.Lock()


def _version(committee_id: int) -> tuple[Any, ...]:
    """Changes whenever a unit is added, changed or removed, or a sector or special committee is added or
    removed (a renamed sector is learnt at the next change of a unit, or on restart). One query, written
    out because it runs with every search."""
    from xieshang.organisation.models import HandlingUnit, Sector, SpecialCommittee

    units, sectors, committees = (m._meta.db_table for m in (HandlingUnit, Sector, SpecialCommittee))
    sql = (f'SELECT (SELECT max(updated_at) FROM "{units}" WHERE committee_id = %s), '  # noqa: S608
           f'(SELECT count(*) FROM "{units}" WHERE committee_id = %s), '
           f'(SELECT count(*) FROM "{sectors}" WHERE committee_id = %s), '
           f'(SELECT max(id) FROM "{sectors}" WHERE committee_id = %s), '
           f'(SELECT count(*) FROM "{committees}" WHERE committee_id = %s), '
           f'(SELECT max(id) FROM "{committees}" WHERE committee_id = %s)')
    with connection.cursor() as cursor:
        cursor.execute(sql, [committee_id] * 6)
        return tuple(cursor.fetchone())


def _learn(committee_id: int, version: tuple[Any, ...]) -> Vocabulary:
    from xieshang.organisation.models import HandlingUnit, Sector, SpecialCommittee

    words: set[str] = set()
    places: set[str] = set()
    aliases: dict[str, tuple[str, ...]] = {}
    for name, short, kind in HandlingUnit.objects.filter(committee_id=committee_id).order_by("id").values_list(
            "name", "short_name", "kind"):
        variants = unit_name_variants(name, short)
        same = same_unit_names(name, short)
        words |= set(variants) | same
        for n in same:
            aliases[n] = tuple(sorted(same - {n}))
        if kind == HandlingUnit.Kind.TOWNSHIP:
            places |= set(variants)
    for name in Sector.objects.filter(committee_id=committee_id).values_list("name", flat=True):
        words.add(_plain(name))
    for name, short in SpecialCommittee.objects.filter(committee_id=committee_id).values_list("name", "short_name"):
        words |= {_plain(n) for n in (name, short) if n}
    return Vocabulary(version=version, words=frozenset(w for w in words if len(w) >= 2), aliases=aliases,
                      places=tuple(sorted(places, key=lambda p: (-len(p), p))))


def vocabulary(committee_id: int) -> Vocabulary:
    """The committee's dictionary, taught to the segmenter (one query when nothing changed)."""
    version = _version(committee_id)
    known = _known.get(committee_id)
    if known is not None and known.version == version:
        return known
    with _lock:
        learnt = _learn(committee_id, version)
        segmenter().teach(learnt.words)
        _known[committee_id] = learnt
        return learnt


def forget() -> None:
    """For tests: forget what was learnt (the segmenter itself is reset by the caller)."""
    _known.clear()
