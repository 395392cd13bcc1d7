from django import forms
from django.utils.translation import gettext_lazy as _


class PreferencesForm(forms.Form):
    email = forms.BooleanField(label=_("By e-mail"), required=False)
    sms = forms.BooleanField(label=_("By SMS"), required=False)
