"""HTML forms of the member, staff and detail pages. Validation of meaning stays in the services; these
only parse input."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xieshang.organisation.models import HandlingUnit, Leader, Member, MemberTerm, Office
from xieshang.proposals.models import Evaluation, Proposal, SupervisionActivity
from xieshang.ruleset.selectors import rules_for


def _choices(committee_id: int, key: str) -> list[tuple[str, str]]:
    return [(c["code"], f'{c["code"]} · {c["label"]}' if key == "proposal.reply_classes" else c["label"])
            for c in rules_for(committee_id=committee_id)[key]]


class ProposalForm(forms.ModelForm):
    class Meta:
        model = Proposal
        fields = ["title", "category", "kind", "collective_kind", "collective_name", "has_seal", "situation",
                  "analysis", "suggestions"]
        widgets = {
            "situation": forms.Textarea(attrs={"rows": 5}),
            "analysis": forms.Textarea(attrs={"rows": 5}),
            "suggestions": forms.Textarea(attrs={"rows": 7}),
        }
        labels = {"situation": _("Situation (情况)"), "analysis": _("Analysis (分析)"),
                  "suggestions": _("Suggestions (建议)"), "title": _("Subject (案由)")}

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"] = forms.ChoiceField(
            label=_("Category"), required=False,
            choices=[("", _("Choose a category"))] + _choices(committee_id, "proposal.categories"))
        self.fields["title"].required = True
        self.fields["kind"].choices = [(Proposal.Kind.INDIVIDUAL, _("Individual")),
                                       (Proposal.Kind.COLLECTIVE, _("Collective"))] + (
            [(Proposal.Kind.JOINT, _("Joint"))] if self.instance.kind == Proposal.Kind.JOINT else [])
        self.fields["collective_kind"].required = False


class InviteForm(forms.Form):
    members = forms.ModelMultipleChoiceField(label=_("Members to invite"), queryset=Member.objects.none())

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        taken = proposal.proposers.values_list("member_id", flat=True)
        self.fields["members"].queryset = Member.objects.filter(
            committee_id=proposal.committee_id, terms__term__is_current=True,
            terms__status=MemberTerm.Status.SERVING).exclude(pk__in=taken).select_related("sector").order_by(
            "sector__order", "name")
        self.fields["members"].label_from_instance = lambda m: f"{m.name}（{m.sector.name}）"


class ReasonForm(forms.Form):
    reason = forms.CharField(label=_("Reason"), widget=forms.Textarea(attrs={"rows": 3}), max_length=2000)


class NoteForm(forms.Form):
    note = forms.CharField(label=_("Note"), widget=forms.Textarea(attrs={"rows": 2}), max_length=2000,
                           required=False)


class FileForm(forms.Form):
    category = forms.ChoiceField(label=_("Category"), required=False)

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["category"].choices = [("", _("Keep the proposer's choice"))] + _choices(
            committee_id, "proposal.categories")


class NotFileForm(forms.Form):
    ground = forms.ChoiceField(label=_("Ground"))
    reason = forms.CharField(label=_("Reason given to the proposer"), widget=forms.Textarea(attrs={"rows": 3}))
    disposition = forms.ChoiceField(label=_("What becomes of the content"),
                                    choices=[c for c in Proposal.Disposition.choices if c[0]])

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["ground"].choices = _choices(committee_id, "proposal.not_filed_grounds")


class MergeForm(forms.Form):
    into = forms.ModelChoiceField(label=_("Merge into"), queryset=Proposal.objects.none())
    reason = forms.CharField(label=_("Reason"), required=False, max_length=500)

    def __init__(self, *args: Any, proposal: Proposal, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["into"].queryset = Proposal.objects.filter(
            committee_id=proposal.committee_id, session_id=proposal.session_id,
            status__in=["submitted", "review", "filed", "handling"]).exclude(pk=proposal.pk).order_by("number", "id")
        self.fields["into"].label_from_instance = lambda p: f"{p.reference} {p.title}（{p.lead_member}）"


class AssignForm(forms.Form):
    MODE_LEAD, MODE_SEPARATE = "lead", "separate"
    mode = forms.ChoiceField(label=_("Handling"), choices=[(MODE_LEAD, _("Lead unit with co-handlers")),
                                                          (MODE_SEPARATE, _("Separate handling by several units"))],
                             widget=forms.RadioSelect, initial=MODE_LEAD)
    lead = forms.ModelChoiceField(label=_("Lead unit"), queryset=HandlingUnit.objects.none(), required=False)
    cohandlers = forms.ModelMultipleChoiceField(label=_("Co-handling units"), queryset=HandlingUnit.objects.none(),
                                                required=False)
    separate = forms.ModelMultipleChoiceField(label=_("Units handling separately"),
                                              queryset=HandlingUnit.objects.none(), required=False)

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        units = HandlingUnit.objects.filter(committee_id=committee_id, is_active=True).order_by("kind", "name")
        for name in ("lead", "cohandlers", "separate"):
            self.fields[name].queryset = units


class ObjectionDecisionForm(forms.Form):
    uphold = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "1",
                                    choices=[("1", _("Keep the assignment")), ("0", _("Assign another unit"))])
    new_unit = forms.ModelChoiceField(label=_("Other unit"), queryset=HandlingUnit.objects.none(), required=False)
    note = forms.CharField(label=_("Note"), required=False, max_length=500)

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["new_unit"].queryset = HandlingUnit.objects.filter(committee_id=committee_id, is_active=True)


class DecisionForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "1",
                                     choices=[("1", _("Approve")), ("0", _("Refuse"))])
    note = forms.CharField(label=_("Note"), required=False, max_length=500)


class ReviewReplyForm(forms.Form):
    approve = forms.TypedChoiceField(label=_("Decision"), coerce=lambda v: v == "1",
                                     choices=[("1", _("Approve and send to the proposers")),
                                              ("0", _("Return to the unit"))])
    result_class = forms.ChoiceField(label=_("Result class"), required=False)
    note = forms.CharField(label=_("Note"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["result_class"].choices = [("", _("Keep the unit's class"))] + _choices(
            committee_id, "proposal.reply_classes")


class EvaluationForm(forms.Form):
    result = forms.ChoiceField(label=_("Overall"), choices=Evaluation.Result.choices, widget=forms.RadioSelect)
    attitude = forms.ChoiceField(label=_("Handling attitude"), required=False,
                                 choices=[("", "—"), *Evaluation.Result.choices])
    effect = forms.ChoiceField(label=_("Actual effect"), required=False,
                               choices=[("", "—"), *Evaluation.Result.choices])
    comment = forms.CharField(label=_("Comment"), required=False, widget=forms.Textarea(attrs={"rows": 3}))


class PaperEvaluationForm(EvaluationForm):
    member = forms.ModelChoiceField(label=_("Proposer"), queryset=Member.objects.none())

    def __init__(self, *args: Any, member_ids: list[int], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["member"].queryset = Member.objects.filter(pk__in=member_ids)


class DisclosureForm(forms.Form):
    publish = forms.BooleanField(label=_("Publish on the public site"), required=False)
    not_for_disclosure = forms.BooleanField(label=_("Not for disclosure"), required=False)


class KeyNominateForm(forms.Form):
    reason = forms.CharField(label=_("Why it is proposed"), widget=forms.Textarea(attrs={"rows": 2}))
    year = forms.IntegerField(label=_("Year"), min_value=2000, max_value=2100,
                              initial=lambda: timezone.localdate().year)


class KeySelectForm(forms.Form):
    selected = forms.TypedChoiceField(label=_("Chairman's meeting decision"), coerce=lambda v: v == "1",
                                      choices=[("1", _("Selected")), ("0", _("Not selected"))])
    selected_on = forms.DateField(label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}))
    leaders = forms.ModelMultipleChoiceField(label=_("Supervising leaders"), queryset=Leader.objects.none(),
                                             required=False)
    office = forms.ModelChoiceField(label=_("Supervising office"), queryset=Office.objects.none(), required=False)

    def __init__(self, *args: Any, committee_id: int, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["leaders"].queryset = Leader.objects.filter(committee_id=committee_id)
        self.fields["office"].queryset = Office.objects.filter(committee_id=committee_id)


class KeyPlanForm(forms.Form):
    plan = forms.CharField(label=_("Supervision plan"), widget=forms.Textarea(attrs={"rows": 4}))


class KeyActivityForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))
    kind = forms.ChoiceField(label=_("Kind"), choices=SupervisionActivity.Kind.choices)
    summary = forms.CharField(label=_("Summary"), widget=forms.Textarea(attrs={"rows": 3}))


class KeyReportForm(forms.Form):
    report = forms.CharField(label=_("Supervision report"), widget=forms.Textarea(attrs={"rows": 5}))
    reported_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs={"type": "date"}))


class ExcellentSelectForm(forms.Form):
    selected = forms.TypedChoiceField(label=_("Chairman's meeting decision"), coerce=lambda v: v == "1",
                                      choices=[("1", _("Selected")), ("0", _("Not selected"))])
    selected_on = forms.DateField(label=_("Meeting date"), widget=forms.DateInput(attrs={"type": "date"}))
