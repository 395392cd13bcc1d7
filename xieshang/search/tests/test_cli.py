import io
import json
from collections.abc import Iterator

import pytest
from django.core.management import CommandError, call_command

from xieshang.proposals import services
from xieshang.proposals.tests.factories import Cast
from xieshang.search import similarity, units

SEWAGE = "关于加快农村生活污水治理的建议"


@pytest.fixture
def cast(committee):
    return Cast(committee)


@pytest.fixture(autouse=True)
def _fresh(monkeypatch) -> Iterator[None]:
    monkeypatch.setattr(similarity, "VERSION_TTL", 0.0)
    similarity.reset()
    units.reset()
    yield
    similarity.reset()
    units.reset()


def run(command: str, committee: str, lines: list[str], *args: str) -> tuple[list[dict], list[str]]:
    """The answers and the lines on stderr; a run with bad lines ends in an error (exit status 1) after
    answering the good ones, which is added to stderr here as the command-line would print it."""
    out, err = io.StringIO(), io.StringIO()
    try:
        call_command(command, "--committee", committee, *args,
                     stdin=io.StringIO("".join(f"{x}\n" for x in lines)), stdout=out, stderr=err)
    except CommandError as exc:
        err.write(f"CommandError: {exc}\n")
    return [json.loads(x) for x in out.getvalue().splitlines()], err.getvalue().splitlines()


def test_text_similar_answers_each_line_best_first(cast) -> None:
    a = cast.filed(title=SEWAGE)
    b = cast.filed(title="关于推进农村生活污水治理设施建设的建议")
    cast.filed(title="关于加强乡村教师队伍建设的建议")
    out, err = run("text_similar", "alpha", [
        json.dumps({"id": "q-1", "title": "關於農村生活汙水治理的建議"}, ensure_ascii=False),
        json.dumps({"id": 7, "title": SEWAGE, "body": "管网建设资金不足", "exclude_id": a.pk}, ensure_ascii=False),
    ])
    assert err == []
    assert [o["id"] for o in out] == ["q-1", 7]
    first = out[0]["similar"]
    assert [s["id"] for s in first[:2]] == [a.pk, b.pk]
    assert first[0] == {"id": a.pk, "title": SEWAGE, "score": first[0]["score"]}
    assert 0 < first[1]["score"] <= first[0]["score"] <= 1
    assert a.pk not in [s["id"] for s in out[1]["similar"]]  # left out on request only


def test_text_similar_writes_chinese_as_is_and_honours_the_limit(cast) -> None:
    for i in range(4):
        cast.filed(title=f"关于加快第{i}片区农村生活污水治理的建议")
    out = io.StringIO()
    call_command("text_similar", "--committee", "alpha", "--limit", "2",
                 stdin=io.StringIO(json.dumps({"id": 1, "title": SEWAGE}) + "\n"), stdout=out)
    assert "关于加快" in out.getvalue() and "\\u" not in out.getvalue()
    assert len(json.loads(out.getvalue())["similar"]) == 2


def test_bad_lines_are_reported_and_skipped(cast) -> None:
    cast.filed(title=SEWAGE)
    out, err = run("text_similar", "alpha", [
        "{not json",
        json.dumps({"id": 1, "title": SEWAGE}, ensure_ascii=False),
        "",
        "[1, 2]",
        json.dumps({"title": SEWAGE}, ensure_ascii=False),
        json.dumps({"id": 2, "title": 5}),
        json.dumps({"id": 3, "title": "x", "exclude_id": "12"}),
        json.dumps({"id": 4, "title": SEWAGE}, ensure_ascii=False),
    ])
    assert [o["id"] for o in out] == [1, 4]
    assert err == [
        "line 1: not valid JSON (Expecting property name enclosed in double quotes at column 2)",
        "line 4: not a JSON object",
        'line 5: no "id"',
        'line 6: no "title" string',
        'line 7: "exclude_id" is not a proposal id',
        "CommandError: 5 line(s) could not be read; the others were answered.",
    ]


def test_units_suggest_answers_each_line(cast) -> None:
    p = cast.filed(title=SEWAGE)
    services.proposal_assign(actor=cast.staff, proposal=p, lead=cast.co_unit)
    out, err = run("units_suggest", "alpha", [
        json.dumps({"id": "a", "title": "关于加强生态环境保护的建议"}, ensure_ascii=False),
        "oops",
        json.dumps({"id": "b", "title": "关于推进农村生活污水治理的建议", "body": "污水直排"}, ensure_ascii=False),
        json.dumps({"id": "c", "title": SEWAGE, "exclude_id": p.pk}, ensure_ascii=False),
    ])
    assert err == ["line 2: not valid JSON (Expecting value at column 1)",
                   "CommandError: 1 line(s) could not be read; the others were answered."]
    assert [o["id"] for o in out] == ["a", "b", "c"]
    assert out[0]["units"][0]["name"] == "县生态环境局"
    assert out[1]["units"][0]["name"] == "县住房和城乡建设局"  # the office gave the similar proposal to it
    assert 1 < len(out[1]["units"]) <= 5 and set(out[1]["units"][0]) == {"name", "score"}  # units that match at all
    scores = [u["score"] for u in out[1]["units"]]
    assert scores == sorted(scores, reverse=True)
    # Its own assignment does not vote: by names alone, 农村 points to 县农业农村局.
    assert [u["name"] for u in out[2]["units"]] == ["县农业农村局"]


def test_an_unknown_committee_is_an_error(cast) -> None:
    with pytest.raises(CommandError, match="No committee with the code 'nope'"):
        call_command("units_suggest", "--committee", "nope", stdin=io.StringIO(""), stdout=io.StringIO())
