"""Forms of the handling unit's screens. They only shape the input; every rule (windows, states, who may
sign off, what a complete reply is) is the service's to check, so a refusal reads the same on every page."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from xieshang.proposals.models import ContactRecord, Reply

DATE_WIDGET = {"type": "date"}


def rule_label(entry: dict[str, Any]) -> str:
    """A configurable list entry (reply class, category) in the page's language; Chinese is the source."""
    lang = translation.get_language() or ""
    if lang.startswith("zh"):
        return str(entry.get("label", entry.get("code", "")))
    return str(entry.get("label_en") or entry.get("label") or entry.get("code", ""))


class InboxFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by title or number"), required=False, max_length=50)
    session = forms.TypedChoiceField(label=_("Plenary session"), required=False, coerce=int, empty_value=None)

    def __init__(self, *args: Any, sessions: Any = (), **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["session"].choices = [("", _("All sessions"))] + [(s.pk, str(s)) for s in sessions]
        self.fields["q"].widget.attrs["placeholder"] = _("Title or number")

    def filters(self) -> dict[str, Any]:
        if not self.is_valid():
            return {"q": "", "session": None}
        return {"q": (self.cleaned_data.get("q") or "").strip(), "session": self.cleaned_data.get("session")}


class AcceptForm(forms.Form):
    """签收 takes no input; the form exists so every action has the same shape."""


class ObjectForm(forms.Form):
    reason = forms.CharField(label=_("Why the proposal is not your unit's to handle"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))


class ContactForm(forms.Form):
    happened_on = forms.DateField(label=_("Date"), widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    method = forms.ChoiceField(label=_("Method"), choices=ContactRecord.Method.choices)
    participants = forms.CharField(label=_("Participants"), max_length=200, required=False,
                                   help_text=_("Who took part on both sides."))
    summary = forms.CharField(label=_("Summary"), max_length=4000, widget=forms.Textarea(attrs={"rows": 3}))


class OpinionForm(forms.Form):
    body = forms.CharField(label=_("Your unit's opinion to the lead unit"), max_length=10000,
                           widget=forms.Textarea(attrs={"rows": 6}))


class ReplyForm(forms.Form):
    """The reply letter. Nothing is required here: a draft may be saved half-written; completeness is
    checked when the unit's leader signs it off."""

    document_number = forms.CharField(label=_("Document number"), max_length=40, required=False,
                                      help_text=_("e.g. 教函〔2026〕12号"))
    signatory = forms.CharField(label=_("Signed by"), max_length=30, required=False,
                                help_text=_("The unit's leader who signs the letter."))
    result_class = forms.ChoiceField(label=_("Result class"), required=False, widget=forms.RadioSelect)
    body = forms.CharField(label=_("Reply"), max_length=20000, required=False,
                           widget=forms.Textarea(attrs={"rows": 14, "data-reply-body": "1"}))
    contact_person = forms.CharField(label=_("Contact person"), max_length=30, required=False)
    contact_phone = forms.CharField(label=_("Contact phone"), max_length=30, required=False)
    cc = forms.CharField(label=_("Copied to"), max_length=200, required=False,
                         help_text=_("Units and offices that receive a copy, separated by 、"))

    def __init__(self, *args: Any, reply_classes: list[dict[str, Any]], reply: Reply | None = None,
                 **kwargs: Any) -> None:
        if reply is not None and kwargs.get("initial") is None:
            kwargs["initial"] = {f: getattr(reply, f) for f in self.base_fields}
        super().__init__(*args, **kwargs)
        self.class_entries = reply_classes
        self.fields["result_class"].choices = [(c["code"], f"{c['code']} · {rule_label(c)}") for c in reply_classes]


class SubmitForm(forms.Form):
    """签发: the leader's click is the input."""


class CosignForm(forms.Form):
    note = forms.CharField(label=_("Note (optional)"), max_length=200, required=False)


class LetterForm(forms.Form):
    letter = forms.FileField(label=_("Signed and stamped letter (PDF)"),
                             widget=forms.ClearableFileInput(attrs={"accept": "application/pdf,.pdf"}))


class ExtensionForm(forms.Form):
    requested_due = forms.DateField(label=_("New reply date"),
                                    widget=forms.DateInput(attrs=DATE_WIDGET, format="%Y-%m-%d"))
    reason = forms.CharField(label=_("Why the unit needs more time"), max_length=2000,
                             widget=forms.Textarea(attrs={"rows": 3}))
