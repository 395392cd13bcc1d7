import pytest
from django.core import mail
from django.db import transaction
from django.test import override_settings

from xieshang.notifications.models import Notification
from xieshang.notifications.services import notify
from xieshang.notifications.sms import MemorySmsBackend
from xieshang.organisation.models import Role

SMS = "xieshang.notifications.sms.MemorySmsBackend"


@pytest.fixture(autouse=True)
def _clear_sms() -> None:
    MemorySmsBackend.outbox.clear()


@override_settings(XIESHANG_SMS_BACKEND=SMS)
def test_delivers_to_inbox_email_and_sms_after_commit(committee, make_user, django_capture_on_commit_callbacks):
    a = make_user(Role.MEMBER, email="a@example.org", phone="13800000001", notify_by_sms=True)
    b = make_user(Role.MEMBER, email="b@example.org", notify_by_email=False)
    with django_capture_on_commit_callbacks(execute=False) as callbacks, transaction.atomic():
        notify(committee_id=committee.pk, recipients=[a, b, a], kind="test", title="提案已交办", body="请办理")
    assert Notification.objects.filter(recipient=a).count() == 1  # duplicates dropped
    assert mail.outbox == [] and MemorySmsBackend.outbox == []  # nothing leaves before commit
    for cb in callbacks:
        cb()
    assert [m.to for m in mail.outbox] == [["a@example.org"]]
    assert MemorySmsBackend.outbox == [("13800000001", "【协商】提案已交办")]
    n = Notification.objects.get(recipient=a)
    assert n.emailed_at is not None and n.sms_sent_at is not None
    assert Notification.objects.get(recipient=b).emailed_at is None


def test_rolled_back_change_sends_nothing(committee, make_user, django_capture_on_commit_callbacks) -> None:
    a = make_user(Role.MEMBER, email="a@example.org")
    with django_capture_on_commit_callbacks(execute=True), pytest.raises(RuntimeError), transaction.atomic():
        notify(committee_id=committee.pk, recipients=[a], kind="test", title="x")
        raise RuntimeError
    assert not Notification.objects.exists()
    assert mail.outbox == []


@override_settings(XIESHANG_SMS_BACKEND="xieshang.notifications.tests.test_notify.FailingSms")
def test_gateway_failure_is_recorded_not_raised(committee, make_user, django_capture_on_commit_callbacks) -> None:
    a = make_user(Role.MEMBER, phone="13800000001", notify_by_sms=True, notify_by_email=False)
    with django_capture_on_commit_callbacks(execute=True):
        notify(committee_id=committee.pk, recipients=[a], kind="test", title="x")
    n = Notification.objects.get()
    assert n.sms_sent_at is None and "gateway down" in n.delivery_error


class FailingSms:
    def send(self, *, phone: str, text: str) -> None:
        from xieshang.notifications.sms import SmsError

        raise SmsError("gateway down")


def test_inactive_users_and_none_are_skipped(committee, make_user) -> None:
    a = make_user(Role.MEMBER, is_active=False)
    assert notify(committee_id=committee.pk, recipients=[a, None], kind="t", title="x") == []


def test_one_transaction_starts_one_delivery(committee, make_user, django_capture_on_commit_callbacks,
                                             monkeypatch) -> None:
    from xieshang.notifications import tasks

    calls: list[list[int]] = []
    monkeypatch.setattr(tasks.deliver_notifications, "delay", lambda ids: calls.append(ids))
    a, b = make_user(Role.MEMBER), make_user(Role.MEMBER)
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        notify(committee_id=committee.pk, recipients=[a], kind="t", title="一")
        notify(committee_id=committee.pk, recipients=[b], kind="t", title="二")
    assert len(calls) == 1 and len(calls[0]) == 2
