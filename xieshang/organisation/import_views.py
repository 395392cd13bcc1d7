"""Pages for importing members and handling units from Excel: upload and check, look at the findings,
then import all rows, only the valid ones, or discard the file."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.shortcuts import redirect, render
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_GET

from xieshang.core.errors import DomainError
from xieshang.organisation import importing, selectors
from xieshang.organisation.models import ImportBatch
from xieshang.organisation.views import _require

PERM = "organisation.import_directory"
# The page lists this many findings; the downloadable report has all of them.
ERRORS_SHOWN = 300


class UploadForm(forms.Form):
    kind = forms.ChoiceField(label=gettext_lazy("The file holds"),
                             choices=[c for c in ImportBatch.Kind.choices if c[0] in importing.COLUMNS])
    file = forms.FileField(
        label=gettext_lazy("Excel file"),
        help_text=gettext_lazy("An .xlsx workbook of at most 5 MB, with the headers of the template."),
        widget=forms.ClearableFileInput(attrs={"accept": ".xlsx," + importing.XLSX_CONTENT_TYPE}),
    )


def _xlsx(content: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(content, content_type=importing.XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    # The files carry personal data: no copy in a shared cache.
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
def start(request: HttpRequest) -> HttpResponse:
    _require(request, PERM)
    # First, so that an account without a committee (a platform administrator) is turned away with 404.
    batches = importing.batch_list_for_user(user=request.user)
    initial_kind = request.GET.get("kind") if request.GET.get("kind") in importing.COLUMNS else None
    form = UploadForm(request.POST or None, request.FILES or None, initial={"kind": initial_kind})
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                batch = importing.import_validate(actor=request.user, committee=request.user.committee,
                                                  kind=form.cleaned_data["kind"], file=form.cleaned_data["file"])
            except DomainError as exc:
                form.add_error("file", exc.message)
            else:
                return redirect("imports:batch", batch_id=batch.pk)
        status = 400
    return render(request, "organisation/import_start.html", {"form": form, "batches": batches[:20]},
                  status=status)


@login_required
@require_GET
def batch(request: HttpRequest, batch_id: int) -> HttpResponse:
    _require(request, PERM)
    b = importing.batch_get_for_user(user=request.user, batch_id=batch_id)
    return render(request, "organisation/import_batch.html", {
        "batch": b,
        "errors_shown": b.errors[:ERRORS_SHOWN],
        "errors_hidden": max(0, len(b.errors) - ERRORS_SHOWN),
    })


def _post_only(request: HttpRequest) -> HttpResponse | None:
    """Checked after the batch is looked up, so that a batch of another committee is 404 whatever the
    method, as everywhere else."""
    return None if request.method == "POST" else HttpResponseNotAllowed(["POST"])


@login_required
def apply(request: HttpRequest, batch_id: int) -> HttpResponse:
    _require(request, PERM)
    b = importing.batch_get_for_user(user=request.user, batch_id=batch_id)
    if refused := _post_only(request):
        return refused
    only_valid = request.POST.get("only_valid") == "1"
    try:
        count = importing.import_apply(actor=request.user, batch=b, only_valid=only_valid)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if b.kind == ImportBatch.Kind.MEMBERS:
            messages.success(request, ngettext("%(n)s member was imported.", "%(n)s members were imported.",
                                               count) % {"n": count})
        else:
            messages.success(request, ngettext("%(n)s handling unit was imported.",
                                               "%(n)s handling units were imported.", count) % {"n": count})
    return redirect("imports:batch", batch_id=b.pk)


@login_required
def discard(request: HttpRequest, batch_id: int) -> HttpResponse:
    _require(request, PERM)
    b = importing.batch_get_for_user(user=request.user, batch_id=batch_id)
    if refused := _post_only(request):
        return refused
    try:
        importing.import_discard(actor=request.user, batch=b)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("imports:batch", batch_id=b.pk)
    messages.success(request, _("The file was discarded."))
    return redirect("imports:start")


@login_required
@require_GET
def report(request: HttpRequest, batch_id: int) -> HttpResponse:
    _require(request, PERM)
    b = importing.batch_get_for_user(user=request.user, batch_id=batch_id)
    try:
        content = importing.error_report(b)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("imports:batch", batch_id=b.pk)
    stem = b.original_filename.rsplit(".", 1)[0] or "import"
    return _xlsx(content, f"{stem}-检查结果.xlsx")


@login_required
@require_GET
def template(request: HttpRequest, kind: str) -> HttpResponse:
    _require(request, PERM)
    if kind not in importing.COLUMNS:
        raise Http404
    content = importing.template_workbook(kind=kind, committee_id=selectors._committee_id(request.user))
    name = "委员导入模板.xlsx" if kind == ImportBatch.Kind.MEMBERS else "承办单位导入模板.xlsx"
    return _xlsx(content, name)
