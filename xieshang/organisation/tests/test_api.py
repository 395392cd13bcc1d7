from django.urls import reverse
from rest_framework.authtoken.models import Token

from xieshang.organisation.models import Party, Role
from xieshang.organisation.tests.factories import MemberFactory, UnitFactory


def test_member_list_api_filters_and_paginates(client, committee, make_user) -> None:
    MemberFactory(committee=committee, name="周委员", party=Party.CDL, is_standing=True)
    MemberFactory(committee=committee, name="吴委员", party=Party.CPC)
    client.force_login(make_user(Role.OFFICE_STAFF))
    data = client.get("/api/v1/members/", {"party": Party.CDL}).json()
    assert data["count"] == 1 and data["results"][0]["name"] == "周委员"
    assert client.get("/api/v1/members/", {"standing": "true"}).json()["count"] == 1


def test_token_authentication_reads_units(client, committee, make_user) -> None:
    UnitFactory(committee=committee, name="县水务局")
    user = make_user(Role.UNIT_LIAISON)
    token = Token.objects.create(user=user)
    r = client.get("/api/v1/units/", HTTP_AUTHORIZATION=f"Token {token.key}")
    assert r.status_code == 200
    assert "县水务局" in [u["name"] for u in r.json()["results"]]


def test_anonymous_is_refused(client, db) -> None:
    assert client.get("/api/v1/members/").status_code in (401, 403)


def test_sectors_and_special_committees(client, committee, make_user) -> None:
    client.force_login(make_user(Role.MEMBER))
    assert client.get("/api/v1/sectors/").json()["count"] == 23
    assert client.get("/api/v1/special-committees/").status_code == 200


def test_member_list_api_query_count_is_fixed(client, committee, make_user, django_assert_max_num_queries) -> None:
    client.force_login(make_user(Role.OFFICE_STAFF))
    MemberFactory.create_batch(2, committee=committee)
    with django_assert_max_num_queries(20) as small:
        client.get("/api/v1/members/")
    MemberFactory.create_batch(30, committee=committee)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get("/api/v1/members/")


def test_schema_and_docs_are_served_offline(client, committee, make_user) -> None:
    client.force_login(make_user(Role.MEMBER))
    schema = client.get(reverse("api-schema"))
    assert schema.status_code == 200 and b"/api/v1/members/" in schema.content
    docs = client.get(reverse("api-docs")).content.decode()
    assert "cdn" not in docs.lower() and "unpkg" not in docs.lower()


def test_profile_issues_a_token_once(client, committee, make_user) -> None:
    user = make_user(Role.MEMBER)
    client.force_login(user)
    r = client.post(reverse("profile"), {"action": "token"})
    key = r.context["token"]
    assert Token.objects.get(user=user).key == key
    client.post(reverse("profile"), {"action": "token"})
    assert Token.objects.get(user=user).key != key
