"""The pages for importing past proposals: upload and check, findings, import all or none (creating the
missing units on request), discard, downloads, and who may use them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from xieshang.ledger.models import Event
from xieshang.organisation.importing import XLSX_CONTENT_TYPE, import_validate
from xieshang.organisation.models import HandlingUnit, ImportBatch, Role
from xieshang.organisation.tests.test_importing import UNIT_HEADERS, unit_row, upload, xlsx_bytes
from xieshang.proposals import history_import
from xieshang.proposals.models import Proposal, Reply
from xieshang.proposals.tests.test_history_import import HEADERS, csv_bytes, make_office, row


@pytest.fixture
def office(committee: Any) -> dict[str, Any]:
    return make_office(committee)


def _file(rows: list[list[Any]], name: str = "台账.xlsx") -> SimpleUploadedFile:
    data = csv_bytes(rows, "gbk") if name.endswith(".csv") else xlsx_bytes(rows)
    return SimpleUploadedFile(name, data)


def _batch(committee: Any, actor: Any, rows: list[list[Any]] | None = None) -> ImportBatch:
    rows = rows or [HEADERS, row("甲", 案号=1), row("乙", 案号=2, 主办单位="县气象局"), row("丙", 案号=3)]
    return history_import.history_validate(actor=actor, committee=committee, file=_file(rows))


def _state() -> tuple[Any, ...]:
    return (Proposal.objects.count(), HandlingUnit.objects.count(), Event.objects.count(),
            tuple(ImportBatch.objects.order_by("pk").values_list("status", "imported_rows", "file")))


def _urls(batch: ImportBatch) -> list[tuple[str, str]]:
    return [
        ("get", reverse("proposals:import_batch", args=[batch.pk])),
        ("post", reverse("proposals:import_apply", args=[batch.pk])),
        ("post", reverse("proposals:import_discard", args=[batch.pk])),
        ("get", reverse("proposals:import_report", args=[batch.pk])),
    ]


def test_upload_check_then_create_the_missing_unit_and_import(client, committee, office) -> None:
    client.force_login(office["staff"])
    page = client.get(reverse("proposals:import_start"))
    assert page.status_code == 200 and reverse("proposals:import_template") in page.content.decode()
    rows = [HEADERS, row("甲", 案号=1), row("乙", 案号=2, 主办单位="县气象局"),
            row("丙", 案号=3, 届次="九届五次", 年份=2021)]
    r = client.post(reverse("proposals:import_start"), {"file": _file(rows, "台账.csv")})
    batch = ImportBatch.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("proposals:import_batch", args=[batch.pk])

    page = client.get(r["Location"]).content.decode()
    assert 'data-testid="error-row"' in page and "县气象局" in page
    assert 'data-testid="import-all" disabled' in page
    assert 'data-testid="import-create-units"' in page and reverse("proposals:import_report", args=[batch.pk]) in page
    assert "第九届第五次会议" in page  # what will be created

    r = client.post(reverse("proposals:import_apply", args=[batch.pk]), follow=True)
    assert Proposal.objects.count() == 0 and "nothing was imported" in r.content.decode()
    r = client.post(reverse("proposals:import_apply", args=[batch.pk]), {"create_units": "1"}, follow=True)
    assert sorted(Proposal.objects.values_list("title", flat=True)) == ["丙", "乙", "甲"]
    assert HandlingUnit.objects.filter(committee=committee, name="县气象局").exists()
    body = r.content.decode()
    assert 'data-testid="imported-rows">3<' in body and "3 past proposals were imported." in body
    r = client.post(reverse("proposals:import_apply", args=[batch.pk]), {"create_units": "1"}, follow=True)
    assert Proposal.objects.count() == 3 and "already been imported" in r.content.decode()


def test_a_clean_file_is_imported_whole_and_shows_in_the_list(client, committee, office) -> None:
    client.force_login(office["staff"])
    batch = _batch(committee, office["staff"], [HEADERS, row("关于加强县城停车管理的建议", 案号=1, 提案人="赵六")])
    page = client.get(reverse("proposals:import_batch", args=[batch.pk])).content.decode()
    assert 'data-testid="import-all" disabled' not in page and 'data-testid="import-create-units"' not in page
    client.post(reverse("proposals:import_apply", args=[batch.pk]))
    p = Proposal.objects.get()
    listing = client.get(reverse("proposals:list")).content.decode()
    assert "关于加强县城停车管理的建议" in listing and "赵六" in listing
    detail = client.get(reverse("proposals:detail", args=[p.pk])).content.decode()
    assert 'data-testid="proposer-text"' in detail and "赵六" in detail
    # A first proposer known by name only still prints: the form, the reply letter, the compilation, the list.
    reply = Reply.objects.get(assignment__proposal=p)
    for url in (reverse("proposals:document_form", args=[p.pk]), reverse("proposals:document_reply", args=[reply.pk]),
                reverse("proposals:document_compilation", args=[p.session_id]), reverse("proposals:export_list")):
        assert client.get(url).status_code == 200, url


def test_errors_other_than_units_offer_no_import(client, committee, office) -> None:
    client.force_login(office["staff"])
    batch = _batch(committee, office["staff"], [HEADERS, row("甲", 案号=1, 答复类别="Z"),
                                                row("乙", 案号=2, 主办单位="县气象局")])
    page = client.get(reverse("proposals:import_batch", args=[batch.pk])).content.decode()
    assert 'data-testid="import-create-units"' not in page and page.count('data-testid="error-row"') == 2
    before = _state()
    client.post(reverse("proposals:import_apply", args=[batch.pk]), {"create_units": "1"})
    assert _state()[:2] == before[:2]


def test_an_unusable_file_is_shown_on_the_form_and_not_stored(client, committee, office) -> None:
    client.force_login(office["staff"])
    r = client.post(reverse("proposals:import_start"), {"file": SimpleUploadedFile("台账.xlsx", b"plain text")})
    assert r.status_code == 400 and "could not be read" in r.content.decode()
    r = client.post(reverse("proposals:import_start"), {"file": upload([UNIT_HEADERS, unit_row("县教育局")])})
    assert r.status_code == 400 and "标题" in r.content.decode()
    assert ImportBatch.objects.count() == 0


def test_discard(client, committee, office) -> None:
    client.force_login(office["staff"])
    batch = _batch(committee, office["staff"])
    r = client.post(reverse("proposals:import_discard", args=[batch.pk]))
    assert r.status_code == 302 and r["Location"] == reverse("proposals:import_start")
    batch.refresh_from_db()
    assert batch.status == "discarded" and not batch.file
    page = client.get(reverse("proposals:import_batch", args=[batch.pk])).content.decode()
    assert 'data-testid="import-all"' not in page


def test_downloads(client, committee, office) -> None:
    client.force_login(office["staff"])
    batch = _batch(committee, office["staff"])
    r = client.get(reverse("proposals:import_report", args=[batch.pk]))
    assert r.status_code == 200 and r["Content-Type"] == XLSX_CONTENT_TYPE and "attachment" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert ws.cell(row=1, column=len(HEADERS) + 1).value == "错误"
    assert "县气象局" in ws.cell(row=3, column=len(HEADERS) + 1).value
    r = client.get(reverse("proposals:import_template"))
    wb = load_workbook(io.BytesIO(r.content))
    assert [c.value for c in wb.worksheets[0][1]] == [c.header for c in history_import.COLUMNS]
    assert "县住房和城乡建设局" in [c.value for c in wb["可选值"]["C"]]
    assert client.get(reverse("proposals:import_apply", args=[batch.pk])).status_code == 405


def test_the_template_with_its_example_row_deleted_imports(client, committee, office) -> None:
    client.force_login(office["staff"])
    wb = load_workbook(io.BytesIO(client.get(reverse("proposals:import_template")).content))
    rows = [[c.value for c in r] for r in wb.worksheets[0].iter_rows()]
    batch = _batch(committee, office["staff"], rows)
    assert batch.valid_rows == 0 and "example row" in batch.errors[0]["message"]
    rows[1][3] = "关于加快农村生活污水治理的建议"
    batch = _batch(committee, office["staff"], rows)
    assert batch.valid_rows == 1, batch.errors


@pytest.mark.parametrize("role", [Role.MEMBER, Role.UNIT_LIAISON, Role.UNIT_LEADER, Role.SUPERVISOR, Role.LEADER,
                                  Role.INFO_STAFF, Role.COMMITTEE_DIRECTOR])
def test_insiders_without_the_right_get_403_and_change_nothing(client, committee, office, make_user, role) -> None:
    batch = _batch(committee, office["staff"])
    client.force_login(make_user(role))
    before = _state()
    for method, url in [("get", reverse("proposals:import_start")), ("post", reverse("proposals:import_start")),
                        ("get", reverse("proposals:import_template")), *_urls(batch)]:
        data = {"create_units": "1", "file": _file([HEADERS, row()])} if method == "post" else {}
        assert getattr(client, method)(url, data).status_code == 403, url
    assert _state() == before


@pytest.mark.parametrize("role", [Role.COMMITTEE_ADMIN, Role.OFFICE_STAFF, Role.PROPOSAL_STAFF])
def test_who_may_import(client, committee, make_user, role) -> None:
    client.force_login(make_user(role))
    assert client.get(reverse("proposals:import_start")).status_code == 200
    assert reverse("proposals:import_start") in client.get(reverse("proposals:review_queue")).content.decode()


def test_another_committee_gets_404_and_changes_nothing(client, committee, other_committee, office) -> None:
    batch = _batch(committee, office["staff"])
    client.force_login(_other_admin(other_committee))
    before = _state()
    for method, url in [*_urls(batch), ("get", reverse("proposals:import_apply", args=[batch.pk])),
                        ("get", reverse("proposals:import_discard", args=[batch.pk]))]:
        data = {"create_units": "1"} if method == "post" else {}
        assert getattr(client, method)(url, data).status_code == 404, url
    assert _state() == before
    assert batch.original_filename not in client.get(reverse("proposals:import_start")).content.decode()


def _other_admin(other_committee: Any) -> Any:
    from xieshang.organisation.tests.factories import user_with_role

    return user_with_role(other_committee, Role.COMMITTEE_ADMIN)


def test_the_directory_import_pages_do_not_show_proposal_batches(client, committee, office, admin_user) -> None:
    batch = _batch(committee, office["staff"])
    units = import_validate(actor=admin_user, committee=committee, kind="units",
                            file=upload([UNIT_HEADERS, unit_row("县待导入局")]))
    client.force_login(admin_user)
    page = client.get(reverse("imports:start")).content.decode()
    assert reverse("imports:batch", args=[units.pk]) in page
    assert reverse("imports:batch", args=[batch.pk]) not in page and '"proposals"' not in page
    assert client.get(reverse("imports:batch", args=[batch.pk])).status_code == 404
    assert client.get(reverse("proposals:import_batch", args=[units.pk])).status_code == 404
    page = client.get(reverse("proposals:import_start")).content.decode()
    assert reverse("imports:batch", args=[units.pk]) not in page


def test_anonymous_visitors_are_sent_to_log_in(client, committee, office) -> None:
    batch = _batch(committee, office["staff"])
    r = client.get(reverse("proposals:import_batch", args=[batch.pk]))
    assert r.status_code == 302 and "login" in r["Location"]


def test_page_query_counts_do_not_grow(client, committee, office, django_assert_max_num_queries) -> None:
    staff = office["staff"]
    small = _batch(committee, staff, [HEADERS, row("甲", 主办单位="县气象局")])
    many = [row(f"题{i}", 案号=i, 主办单位=f"县气象局{i}") for i in range(1, 200)]
    large = _batch(committee, staff, [HEADERS, *many])
    client.force_login(staff)
    counts = []
    for b in (small, large):
        with django_assert_max_num_queries(12) as ctx:
            assert client.get(reverse("proposals:import_batch", args=[b.pk])).status_code == 200
        counts.append(len(ctx.captured_queries))
    assert counts[0] == counts[1]
    with django_assert_max_num_queries(12) as ctx:
        client.get(reverse("proposals:import_start"))
    few = len(ctx.captured_queries)
    for _ in range(5):
        _batch(committee, staff)
    with django_assert_max_num_queries(12) as ctx:
        client.get(reverse("proposals:import_start"))
    assert len(ctx.captured_queries) == few
