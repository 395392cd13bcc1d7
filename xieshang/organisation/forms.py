from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from xieshang.organisation.models import Committee, HandlingUnit, Party


class MemberFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    sector = forms.TypedChoiceField(label=_("Sector"), required=False, coerce=int, empty_value=None)
    special_committee = forms.TypedChoiceField(label=_("Special committee"), required=False, coerce=int,
                                               empty_value=None)
    party = forms.ChoiceField(label=_("Party affiliation"), required=False)
    standing = forms.ChoiceField(label=_("Standing committee"), required=False,
                                 choices=[("", _("All")), ("1", _("Standing members")), ("0", _("Others"))])

    def __init__(self, *args: Any, sectors: Any, special_committees: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["sector"].choices = [("", _("All sectors"))] + [(s.pk, s.name) for s in sectors]
        self.fields["special_committee"].choices = [("", _("All special committees"))] + [
            (c.pk, c.name) for c in special_committees]
        self.fields["party"].choices = [("", _("All"))] + list(Party.choices)

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {}
        d = self.cleaned_data
        standing = {"1": True, "0": False}.get(d.get("standing") or "")
        return {"q": d.get("q") or "", "sector": d.get("sector"), "special_committee": d.get("special_committee"),
                "party": d.get("party") or None, "standing": standing}


class UnitFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=50)
    kind = forms.ChoiceField(label=_("Kind"), required=False,
                             choices=[("", _("All kinds")), *HandlingUnit.Kind.choices])


class CommitteeCreateForm(forms.Form):
    code = forms.SlugField(label=_("Code"), max_length=32, help_text=_("Lowercase letters and digits, e.g. wushan"))
    name = forms.CharField(label=_("Name"), max_length=100)
    level = forms.ChoiceField(label=_("Level"), choices=Committee.Level.choices)
    parent = forms.ModelChoiceField(label=_("Parent committee"), queryset=Committee.objects.all(), required=False)
    region_code = forms.CharField(label=_("Region code"), max_length=12, required=False)
