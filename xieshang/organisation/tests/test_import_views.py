"""The import pages: upload, findings, import, discard, downloads, and who may use them."""

from __future__ import annotations

import io
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from xieshang.ledger.models import Event
from xieshang.organisation import importing
from xieshang.organisation.models import ImportBatch, Member, Role
from xieshang.organisation.tests.factories import user_with_role
from xieshang.organisation.tests.test_importing import MEMBER_HEADERS, UNIT_HEADERS, member_row, upload


def _batch(committee: Any, actor: Any, rows: list[list[Any]] | None = None) -> ImportBatch:
    rows = rows or [MEMBER_HEADERS, member_row("甲"), member_row("乙", 界别="无此界别"), member_row("丙")]
    return importing.import_validate(actor=actor, committee=committee, kind="members", file=upload(rows))


def _state() -> tuple[Any, ...]:
    return (Member.objects.count(), Event.objects.count(),
            tuple(ImportBatch.objects.order_by("pk").values_list("status", "imported_rows", "file")))


def test_upload_check_and_import_the_valid_rows(client, committee, admin_user) -> None:
    client.force_login(admin_user)
    page = client.get(reverse("imports:start"))
    assert page.status_code == 200
    assert reverse("imports:template", kwargs={"kind": "members"}) in page.content.decode()
    r = client.post(reverse("imports:start"), {"kind": "members", "file": upload(
        [MEMBER_HEADERS, member_row("甲"), member_row("乙", 界别="无此界别"), member_row("丙")])})
    batch = ImportBatch.objects.get()
    assert r.status_code == 302 and r["Location"] == reverse("imports:batch", args=[batch.pk])

    page = client.get(r["Location"]).content.decode()
    assert 'data-testid="error-row"' in page and "无此界别" in page
    assert 'data-testid="import-all" disabled' in page
    assert 'data-testid="import-valid"' in page and reverse("imports:report", args=[batch.pk]) in page

    r = client.post(reverse("imports:apply", args=[batch.pk]), {"only_valid": "0"}, follow=True)
    assert Member.objects.count() == 0 and list(r.context["messages"])
    r = client.post(reverse("imports:apply", args=[batch.pk]), {"only_valid": "1"}, follow=True)
    assert set(Member.objects.values_list("name", flat=True)) == {"甲", "丙"}
    assert 'data-testid="imported-rows">2<' in r.content.decode()
    r = client.post(reverse("imports:apply", args=[batch.pk]), {"only_valid": "1"}, follow=True)
    assert Member.objects.count() == 2 and "already been imported" in r.content.decode()


def test_a_clean_file_is_imported_whole(client, committee, admin_user) -> None:
    client.force_login(admin_user)
    batch = _batch(committee, admin_user, [MEMBER_HEADERS, member_row("甲"), member_row("乙")])
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'data-testid="import-all" disabled' not in page and 'data-testid="import-valid"' not in page
    client.post(reverse("imports:apply", args=[batch.pk]), {"only_valid": "0"})
    assert Member.objects.count() == 2


def test_an_unusable_file_is_shown_on_the_form_and_not_stored(client, committee, admin_user) -> None:
    client.force_login(admin_user)
    r = client.post(reverse("imports:start"), {"kind": "members",
                                               "file": SimpleUploadedFile("名单.xlsx", b"plain text")})
    assert r.status_code == 400
    assert "could not be read" in r.content.decode()
    r = client.post(reverse("imports:start"), {"kind": "members", "file": upload([UNIT_HEADERS, ["县教育局"]])})
    assert r.status_code == 400
    assert ImportBatch.objects.count() == 0


def test_discard(client, committee, admin_user) -> None:
    client.force_login(admin_user)
    batch = _batch(committee, admin_user)
    r = client.post(reverse("imports:discard", args=[batch.pk]))
    assert r.status_code == 302
    batch.refresh_from_db()
    assert batch.status == "discarded" and not batch.file
    page = client.get(reverse("imports:batch", args=[batch.pk])).content.decode()
    assert 'data-testid="import-all"' not in page


def test_downloads(client, committee, admin_user) -> None:
    client.force_login(admin_user)
    batch = _batch(committee, admin_user)
    r = client.get(reverse("imports:report", args=[batch.pk]))
    assert r.status_code == 200 and r["Content-Type"] == importing.XLSX_CONTENT_TYPE
    assert "attachment" in r["Content-Disposition"]
    ws = load_workbook(io.BytesIO(r.content)).worksheets[0]
    assert ws.cell(row=1, column=len(MEMBER_HEADERS) + 1).value == "错误"
    assert ws.cell(row=3, column=len(MEMBER_HEADERS) + 1).value
    for kind, headers in (("members", MEMBER_HEADERS), ("units", UNIT_HEADERS)):
        r = client.get(reverse("imports:template", kwargs={"kind": kind}))
        assert r.status_code == 200
        assert [c.value for c in load_workbook(io.BytesIO(r.content)).worksheets[0][1]] == headers
    assert client.get("/directory/import/template/other.xlsx").status_code == 404
    assert client.get(reverse("imports:apply", args=[batch.pk])).status_code == 405


def _urls(batch: ImportBatch) -> list[tuple[str, str]]:
    return [
        ("get", reverse("imports:batch", args=[batch.pk])),
        ("post", reverse("imports:apply", args=[batch.pk])),
        ("post", reverse("imports:discard", args=[batch.pk])),
        ("get", reverse("imports:report", args=[batch.pk])),
    ]


@pytest.mark.parametrize("role", [Role.MEMBER, Role.PROPOSAL_STAFF, Role.UNIT_LIAISON])
def test_insiders_without_the_right_get_403_and_change_nothing(client, committee, admin_user, make_user,
                                                               role) -> None:
    batch = _batch(committee, admin_user)
    client.force_login(make_user(role))
    before = _state()
    for method, url in [("get", reverse("imports:start")), ("post", reverse("imports:start")),
                        ("get", reverse("imports:template", kwargs={"kind": "members"})), *_urls(batch)]:
        data = {"only_valid": "1"} if method == "post" else {}
        assert getattr(client, method)(url, data).status_code == 403, url
    assert _state() == before
    assert reverse("imports:start") not in client.get(reverse("home")).content.decode()


def test_another_committee_gets_404_and_changes_nothing(client, committee, other_committee, admin_user) -> None:
    batch = _batch(committee, admin_user)
    client.force_login(user_with_role(other_committee, Role.COMMITTEE_ADMIN))
    before = _state()
    for method, url in [*_urls(batch), ("get", reverse("imports:apply", args=[batch.pk])),
                        ("get", reverse("imports:discard", args=[batch.pk]))]:
        data = {"only_valid": "1"} if method == "post" else {}
        assert getattr(client, method)(url, data).status_code == 404, url
    assert _state() == before
    # Their own list does not show it either.
    assert batch.original_filename not in client.get(reverse("imports:start")).content.decode()


def test_office_staff_may_import_and_see_the_menu_link(client, committee, make_user) -> None:
    client.force_login(make_user(Role.OFFICE_STAFF))
    assert reverse("imports:start") in client.get(reverse("home")).content.decode()
    assert client.get(reverse("imports:start")).status_code == 200


def test_anonymous_visitors_are_sent_to_log_in(client, committee, admin_user) -> None:
    batch = _batch(committee, admin_user)
    r = client.get(reverse("imports:batch", args=[batch.pk]))
    assert r.status_code == 302 and "login" in r["Location"]


def test_batch_page_query_count_is_bounded(client, committee, admin_user, django_assert_max_num_queries) -> None:
    rows = [MEMBER_HEADERS] + [member_row(f"甲{i}", 界别="无此界别", 手机="1") for i in range(200)]
    batch = _batch(committee, admin_user, rows)
    for _ in range(5):
        _batch(committee, admin_user)
    client.force_login(admin_user)
    with django_assert_max_num_queries(10):
        r = client.get(reverse("imports:batch", args=[batch.pk]))
    assert r.status_code == 200
    with django_assert_max_num_queries(10):
        assert client.get(reverse("imports:start")).status_code == 200
