from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from xieshang.accounts.services import api_token_rotate


@login_required
def profile(request: HttpRequest) -> HttpResponse:
    """The user's own page: roles, and the API token for scripts."""
    token = None
    if request.method == "POST" and request.POST.get("action") == "token":
        token = api_token_rotate(user=request.user)
        messages.success(request, _("A new API token was issued; the old one no longer works."))
    return render(request, "accounts/profile.html", {"token": token})
