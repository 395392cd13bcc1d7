from django.urls import reverse

from xieshang.organisation.models import Role, Term
from xieshang.organisation.tests.factories import UnitFactory


def test_office_sees_units_without_liaison_and_missing_term(client, committee, make_user) -> None:
    UnitFactory(committee=committee)
    covered = UnitFactory(committee=committee)
    make_user(Role.UNIT_LIAISON, scope=covered)
    Term.objects.filter(committee=committee).update(is_current=False)
    client.force_login(make_user(Role.OFFICE_STAFF))
    titles = [i.title for i in client.get(reverse("home"), HTTP_ACCEPT_LANGUAGE="en").context["items"]]
    assert "1 handling unit has no liaison account" in titles
    assert "Set the current term" in titles


def test_a_member_is_not_bothered_with_it(client, committee, make_user) -> None:
    UnitFactory(committee=committee)
    client.force_login(make_user(Role.MEMBER))
    assert client.get(reverse("home")).context["items"] == []
