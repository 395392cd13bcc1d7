"""Chinese text as the platform compares and indexes it.

``normalise`` turns what arrives (pasted from web pages, converted to traditional characters, with inline
pinyin and characters lost to encoding) into plain simplified Chinese; ``tokens`` segments it into words
with jieba, knowing the committee's own vocabulary (unit, township and sector names) so that 县住建局 is
one word. Everything that indexes or compares text goes through these two functions."""

from __future__ import annotations

import functools
import re
import threading
import unicodedata
from collections.abc import Iterable

import jieba
import opencc

jieba.setLogLevel(60)  # jieba prints its dictionary loading to stderr otherwise

# A character followed by its pinyin in parentheses, as some sites annotate: 國(guó) -> 國.
_PINYIN = re.compile(r"([\u3400-\u9fff])[(（]([a-zA-Zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜüê]{1,7})[)）]")
# Characters lost to a wrong encoding leave "?" with stray letters. Known ones are restored; the rest go.
_LOST_KNOWN = {"?h": "县"}
_LOST = re.compile(r"\?[a-zA-Z\u00c0-\u024f]{0,3}")
_SPACES = re.compile(r"[ \t\u3000\u00a0]+")
_BLANK_LINES = re.compile(r"\n\s*\n+")

_lock = threading.Lock()


@functools.cache
def _t2s() -> opencc.OpenCC:
    return opencc.OpenCC("t2s")


def normalise(text: str) -> str:
    """Plain simplified Chinese: NFKC (full-width letters, digits and punctuation to half-width), inline
    pinyin removed, lost-character markers restored or removed, traditional to simplified, whitespace
    collapsed."""
    if not text:
        return ""
    text = unicodedata.normalize("NFKC", text)
    text = _PINYIN.sub(r"\1", text)
    for marker, char in _LOST_KNOWN.items():
        text = text.replace(marker, char)
    text = _LOST.sub("", text)
    text = _t2s().convert(text)
    text = _SPACES.sub(" ", text)
    return _BLANK_LINES.sub("\n", text).strip()


_STOP_TEXT = (
    "的 了 和 与 及 或 在 对 为 以 于 把 被 将 等 是 有 也 就 都 而 并 其 之 这 那 我们 我 你 他 她 它 着 从 "
    "关于 建议 提案 问题 工作 进一步 加强 推进 加快 全县 我县 县 一 二 三 四 五 六 七 八 九 十 一是 二是 三是 "
    ", . ; : ! ? 、 。 ， ； ： ！ ？ “ ” ‘ ’ ( ) 《 》 - — … / \\ \" ' [ ] 【 】"
)
STOPWORDS = frozenset(_STOP_TEXT.split(" "))


class Segmenter:
    """One jieba tokenizer for the process, taught the vocabulary of every committee."""

    def __init__(self) -> None:
        self._tokenizer = jieba.Tokenizer()
        self._known: set[str] = set()

    def teach(self, words: Iterable[str]) -> None:
        with _lock:
            for word in words:
                word = normalise(word).replace(" ", "")
                if len(word) >= 2 and word not in self._known:
                    self._tokenizer.add_word(word, freq=200000)
                    self._known.add(word)

    def cut(self, text: str) -> list[str]:
        return [w for w in self._tokenizer.lcut(text) if w.strip()]


@functools.cache
def segmenter() -> Segmenter:
    return Segmenter()


def tokens(text: str, *, normalised: bool = False, keep_stopwords: bool = False) -> list[str]:
    """The words of a text, normalised and segmented; stopwords and punctuation dropped."""
    text = text if normalised else normalise(text)
    words = segmenter().cut(text.lower())
    return words if keep_stopwords else [w for w in words if w not in STOPWORDS and not w.isspace()]


def char_ngrams(text: str, n: int = 2, *, normalised: bool = False) -> list[str]:
    """Overlapping character n-grams of the CJK and alphanumeric characters (for fuzzy matching)."""
    text = text if normalised else normalise(text)
    chars = [c for c in text.lower() if c.isalnum()]
    return ["".join(chars[i:i + n]) for i in range(len(chars) - n + 1)]
