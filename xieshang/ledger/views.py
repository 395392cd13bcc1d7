from __future__ import annotations

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from xieshang.ledger.models import Event
from xieshang.ledger.selectors import event_list_for_user


class AuditFilterForm(forms.Form):
    verb = forms.CharField(label=_("Action"), required=False, max_length=60)
    actor = forms.TypedChoiceField(label=_("Actor"), required=False, coerce=int, empty_value=None)
    target_type = forms.TypedChoiceField(label=_("Object type"), required=False, coerce=int, empty_value=None)
    target_id = forms.IntegerField(label=_("Object id"), required=False, min_value=1)
    since = forms.DateField(label=_("From"), required=False, widget=forms.DateInput(attrs={"type": "date"}))
    until = forms.DateField(label=_("To"), required=False, widget=forms.DateInput(attrs={"type": "date"}))

    def __init__(self, *args: object, committee_id: int, **kwargs: object) -> None:
        super().__init__(*args, **kwargs)
        users = get_user_model().objects.filter(committee_id=committee_id).order_by("username")
        self.fields["actor"].choices = [("", _("Anyone"))] + [(u.pk, str(u)) for u in users]
        type_ids = Event.objects.filter(committee_id=committee_id).values_list("target_type", flat=True).distinct()
        self.fields["target_type"].choices = [("", _("Any type"))] + [
            (ct.pk, ct.model_class()._meta.verbose_name if ct.model_class() else ct.model)
            for ct in ContentType.objects.filter(pk__in=type_ids)]


@login_required
def audit(request: HttpRequest) -> HttpResponse:
    """The committee's event ledger with filters, for administrators."""
    events = event_list_for_user(user=request.user)  # 404 for anyone without the right
    form = AuditFilterForm(request.GET or None, committee_id=request.user.committee_id)
    if form.is_valid():
        events = event_list_for_user(user=request.user, **form.cleaned_data)
    page = Paginator(events, 50).get_page(request.GET.get("page"))
    return render(request, "ledger/audit.html", {"form": form, "page": page})
