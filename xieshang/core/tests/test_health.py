from unittest import mock

from django.urls import reverse


def test_healthz_needs_nothing(client) -> None:
    r = client.get(reverse("healthz"))
    assert r.status_code == 200 and r.json() == {"status": "ok"}


def test_readyz_checks_database_and_cache(client, db) -> None:
    r = client.get(reverse("readyz"))
    assert r.status_code == 200 and r.json() == {"status": "ok", "database": "ok", "cache": "ok"}


def test_readyz_fails_when_the_cache_is_down(client, db) -> None:
    with mock.patch("xieshang.core.views.cache.set", side_effect=ConnectionError("down")):
        r = client.get(reverse("readyz"))
    assert r.status_code == 503 and r.json()["cache"] == "error: ConnectionError"
