"""Directory pages: members, handling units, party coverage, and onboarding a committee."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from xieshang.core.errors import DomainError
from xieshang.organisation import selectors
from xieshang.organisation.forms import CommitteeCreateForm, MemberFilterForm, UnitFilterForm
from xieshang.organisation.services import committee_create


def _require(request: HttpRequest, perm: str) -> None:
    """Pages of a committee answer 404 to anyone outside it and 403 to insiders without the right."""
    if request.user.committee_id is None or not request.user.has_perm("organisation.view_directory"):
        raise Http404
    if not request.user.has_perm(perm):
        raise PermissionDenied


@login_required
def member_list(request: HttpRequest) -> HttpResponse:
    _require(request, "organisation.view_directory")
    form = MemberFilterForm(request.GET or None, sectors=selectors.sector_list_for_user(user=request.user),
                            special_committees=selectors.special_committee_list_for_user(user=request.user))
    members = selectors.member_list_for_user(user=request.user, **form.filters())
    page = Paginator(members, 40).get_page(request.GET.get("page"))
    template = "organisation/_member_rows.html" if request.htmx else "organisation/member_list.html"
    return render(request, template, {"form": form, "page": page})


@login_required
def member_detail(request: HttpRequest, member_id: int) -> HttpResponse:
    _require(request, "organisation.view_directory")
    member = selectors.member_get_for_user(user=request.user, member_id=member_id)
    show_contact = request.user.has_perm("organisation.view_member_contact", member) or (
        request.user.member is not None and request.user.member.pk == member.pk)
    return render(request, "organisation/member_detail.html", {"member": member, "show_contact": show_contact})


@login_required
def unit_list(request: HttpRequest) -> HttpResponse:
    _require(request, "organisation.view_directory")
    form = UnitFilterForm(request.GET or None)
    filters = form.cleaned_data if form.is_valid() else {}
    units = selectors.unit_list_for_user(user=request.user, kind=filters.get("kind") or None,
                                         q=filters.get("q") or "")
    template = "organisation/_unit_rows.html" if request.htmx else "organisation/unit_list.html"
    return render(request, template, {"form": form, "units": units})


@login_required
def unit_detail(request: HttpRequest, unit_id: int) -> HttpResponse:
    _require(request, "organisation.view_directory")
    unit = selectors.unit_get_for_user(user=request.user, unit_id=unit_id)
    return render(request, "organisation/unit_detail.html", {"unit": unit})


@login_required
def party_coverage(request: HttpRequest) -> HttpResponse:
    _require(request, "organisation.view_party_coverage")
    committee_id = request.user.committee_id
    return render(request, "organisation/party_coverage.html", {
        "coverage": selectors.party_coverage(committee_id=committee_id),
        "organisations": selectors.party_organisations(committee_id=committee_id),
    })


@login_required
def committee_create_view(request: HttpRequest) -> HttpResponse:
    if not request.user.has_perm("organisation.create_committee"):
        raise PermissionDenied
    form = CommitteeCreateForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            committee = committee_create(actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Committee %(name)s was created with the standard sectors, offices and "
                                        "default rules.") % {"name": committee.name})
            return redirect("organisation:committee_create")
    from xieshang.organisation.models import Committee

    return render(request, "organisation/committee_create.html",
                  {"form": form, "committees": Committee.objects.order_by("code")})
