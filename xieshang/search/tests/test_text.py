import re
from pathlib import Path

import pytest

from xieshang.search.text import Segmenter, char_ngrams, normalise, segmenter, tokens

SEED = Path(__file__).resolve().parent / "data" / "seed_excerpt.txt"  # see data/README.md


def test_the_seed_reads_as_plain_simplified_chinese() -> None:
    text = normalise(SEED.read_text(encoding="utf-8"))
    first = text.split("。")[0]
    assert first == ("今年是中国共产党成立100周年,是“十四五”开局之年,也是开启全面建设社会主义现代化新征程的起步之年,"
                     "做好各项工作意义重大、使命光荣")
    assert "?" not in text  # no lost-character markers
    assert not re.search(r"\([a-zāáǎàēéěèīíǐìōóǒòūúǔùǖǘǚǜü]+\)", text)  # no inline pinyin
    assert "县政协" in text and "縣" not in text


@pytest.mark.parametrize(("raw", "expected"), [
    ("中國(guó)共產(chǎn)黨", "中国共产党"),
    ("?h政協(xié)", "县政协"),
    ("ＡＢＣ１２３，　全角", "ABC123, 全角"),
    ("  多余   的\u3000空白 ", "多余 的 空白"),
    ("保留括号里的中文（试点）", "保留括号里的中文(试点)"),
    ("", ""),
])
def test_normalise(raw: str, expected: str) -> None:
    assert normalise(raw) == expected


def test_committee_words_stay_whole_and_stopwords_go() -> None:
    assert "县住建局" not in Segmenter().cut("县住建局答复")  # jieba alone splits it (the shared one may know it)
    segmenter().teach(["县住建局", "滩歌镇"])
    words = tokens("关于县住建局加快滩歌镇污水治理的建议")
    assert "县住建局" in words and "滩歌镇" in words
    assert "关于" not in words and "的" not in words and "建议" not in words


def test_traditional_and_simplified_give_the_same_tokens() -> None:
    assert tokens("農村生活污水治理") == tokens("农村生活污水治理")


def test_char_ngrams() -> None:
    assert char_ngrams("污水治理") == ["污水", "水治", "治理"]
