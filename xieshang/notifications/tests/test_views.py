from django.db import transaction
from django.urls import reverse

from xieshang.ledger.models import Event
from xieshang.notifications.models import Notification
from xieshang.notifications.services import notify
from xieshang.organisation.models import Role


def _notes(committee, user, n):
    with transaction.atomic():
        return [notify(committee_id=committee.pk, recipients=[user], kind="t", title=f"通知{i}")[0] for i in range(n)]


def test_header_badge_counts_unread_and_htmx_marks_read(client, committee, make_user) -> None:
    user = make_user(Role.MEMBER)
    notes = _notes(committee, user, 3)
    client.force_login(user)
    page = client.get(reverse("home")).content.decode()
    assert 'data-testid="unread-count">3<' in page
    r = client.post(reverse("notifications:read", args=[notes[0].pk]), HTTP_HX_REQUEST="true")
    assert r.status_code == 200 and ">2<" in r.content.decode()
    client.post(reverse("notifications:read_all"))
    assert not Notification.objects.filter(recipient=user, read_at__isnull=True).exists()


def test_someone_elses_notification_is_not_found(client, committee, make_user) -> None:
    owner, other = make_user(Role.MEMBER), make_user(Role.MEMBER)
    note = _notes(committee, owner, 1)[0]
    client.force_login(other)
    assert client.post(reverse("notifications:read", args=[note.pk])).status_code == 404
    note.refresh_from_db()
    assert note.read_at is None


def test_inbox_query_count_does_not_grow(client, committee, make_user, django_assert_max_num_queries) -> None:
    user = make_user(Role.MEMBER)
    client.force_login(user)
    _notes(committee, user, 2)
    with django_assert_max_num_queries(20) as small:
        client.get(reverse("notifications:inbox"))
    _notes(committee, user, 25)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(reverse("notifications:inbox"))


def test_choosing_sms_needs_a_phone(client, committee, make_user) -> None:
    user = make_user(Role.MEMBER, phone="")
    client.force_login(user)
    r = client.post(reverse("notifications:preferences"), {"email": "on", "sms": "on"})
    assert r.status_code == 200 and r.context["form"].non_field_errors()
    user.refresh_from_db()
    assert user.notify_by_sms is False
    user.phone = "13800000002"
    user.save()
    assert client.post(reverse("notifications:preferences"), {"sms": "on"}).status_code == 302
    user.refresh_from_db()
    assert (user.notify_by_email, user.notify_by_sms) == (False, True)
    assert Event.objects.filter(verb="notifications.preferences_changed", actor=user).count() == 1
