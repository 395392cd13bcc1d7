from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from xieshang.core.errors import DomainError
from xieshang.notifications.forms import PreferencesForm
from xieshang.notifications.selectors import notification_list_for_user, unread_count
from xieshang.notifications.services import notification_mark_read, preferences_update


@login_required
def inbox(request: HttpRequest) -> HttpResponse:
    unread_only = request.GET.get("unread") == "1"
    page = Paginator(notification_list_for_user(user=request.user, unread_only=unread_only), 30).get_page(
        request.GET.get("page"))
    return render(request, "notifications/inbox.html", {"page": page, "unread_only": unread_only})


@login_required
@require_POST
def mark_read(request: HttpRequest, notification_id: int | None = None) -> HttpResponse:
    try:
        notification_mark_read(user=request.user, notification_id=notification_id)
    except DomainError as exc:
        raise Http404 from exc
    if request.htmx:
        return render(request, "notifications/_badge.html", {"unread_notifications": unread_count(user=request.user)})
    return redirect("notifications:inbox")


@login_required
def preferences(request: HttpRequest) -> HttpResponse:
    user = request.user
    form = PreferencesForm(request.POST or None, initial={"email": user.notify_by_email, "sms": user.notify_by_sms})
    if request.method == "POST" and form.is_valid():
        try:
            preferences_update(user=user, email=form.cleaned_data["email"], sms=form.cleaned_data["sms"])
        except DomainError as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("Your notification channels were saved."))
            return redirect("notifications:preferences")
    return render(request, "notifications/preferences.html", {"form": form})
