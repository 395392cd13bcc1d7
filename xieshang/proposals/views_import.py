"""Pages for importing past proposals (history_import.py): upload and check, look at the findings and at
what will be created, then import every row or none, or discard the file. Proposal-committee staff,
office staff and administrators may use them (docs/permissions.md)."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from xieshang.core.errors import DomainError
from xieshang.organisation.importing import XLSX_CONTENT_TYPE
from xieshang.proposals import history_import
from xieshang.proposals.history_import import PERMS

# The page lists this many findings; the downloadable report has all of them.
ERRORS_SHOWN = 300


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("Excel or CSV file"),
        help_text=gettext_lazy("An .xlsx workbook or a .csv file (UTF-8 or GBK) of at most 5 MB, with the "
                               "headers of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv," + XLSX_CONTENT_TYPE + ",text/csv"}),
    )


def _require(request: HttpRequest) -> None:
    """404 to anyone outside a committee, 403 to insiders who may not import."""
    user = request.user
    if user.committee_id is None or not user.role_codes:
        raise Http404
    if not any(user.has_perm(p) for p in PERMS):
        raise PermissionDenied


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"  # names of members: no copy in a shared cache
    return response


@login_required
def start(request: HttpRequest) -> HttpResponse:
    _require(request)
    batches = history_import.batch_list_for_user(user=request.user)
    form = UploadForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                b = history_import.history_validate(actor=request.user, committee=request.user.committee,
                                                    file=form.cleaned_data["file"])
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("proposals:import_batch", batch_id=b.pk)
        status = 400
    return render(request, "proposals/import/start.html", {"form": form, "batches": batches[:20]}, status=status)


@login_required
@require_GET
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    _require(request)
    b = history_import.batch_get_for_user(user=request.user, batch_id=batch_id)
    errors, notes = history_import.split_findings(b)
    unknown_units = sorted({e["value"] for e in errors if e.get("code") == "unknown_unit"})
    return render(request, "proposals/import/batch.html", {
        "batch": b, "errors_shown": errors[:ERRORS_SHOWN], "errors_hidden": max(0, len(errors) - ERRORS_SHOWN),
        "has_errors": bool(errors), "notes": notes,
        # When every error is a unit missing from the directory, creating the units clears them all.
        "unknown_units": unknown_units,
        "can_create_units": bool(errors) and all(e.get("code") == "unknown_unit" for e in errors),
    })


def _post_only(request: HttpRequest) -> HttpResponse | None:
    """Checked after the batch is looked up, so that another committee's batch is 404 whatever the method."""
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


@login_required
def apply(request: HttpRequest, batch_id: int) -> HttpResponse:
    _require(request)
    b = history_import.batch_get_for_user(user=request.user, batch_id=batch_id)
    if refused := _post_only(request):
        return refused
    try:
        count = history_import.history_apply(actor=request.user, batch=b,
                                             create_units=request.POST.get("create_units") == "1")
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ngettext("%(n)s past proposal was imported.",
                                           "%(n)s past proposals were imported.", count) % {"n": count})
    return redirect("proposals:import_batch", batch_id=b.pk)


@login_required
def discard(request: HttpRequest, batch_id: int) -> HttpResponse:
    _require(request)
    b = history_import.batch_get_for_user(user=request.user, batch_id=batch_id)
    if refused := _post_only(request):
        return refused
    try:
        history_import.history_discard(actor=request.user, batch=b)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("proposals:import_batch", batch_id=b.pk)
    messages.success(request, _("The file was discarded."))
    return redirect("proposals:import_start")


@login_required
@require_GET
def report(request: HttpRequest, batch_id: int) -> HttpResponse:
    _require(request)
    b = history_import.batch_get_for_user(user=request.user, batch_id=batch_id)
    try:
        content = history_import.error_report(b)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("proposals:import_batch", batch_id=b.pk)
    stem = b.original_filename.rsplit(".", 1)[0] or "import"
    return _xlsx(content, f"{stem}-检查结果.xlsx")


@login_required
@require_GET
def template(request: HttpRequest) -> HttpResponse:
    _require(request)
    return _xlsx(history_import.template_workbook(committee_id=request.user.committee_id), "历史提案导入模板.xlsx")
