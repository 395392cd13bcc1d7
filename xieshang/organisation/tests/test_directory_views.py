from django.urls import reverse

from xieshang.organisation.models import (
    Member,
    MemberTerm,
    Party,
    PartyContactPair,
    PartyOrganisation,
    PartyOrganisationMembership,
    Role,
    Sector,
    SpecialCommitteeMembership,
    Term,
)
from xieshang.organisation.tests.factories import MemberFactory, SpecialCommitteeFactory, UnitFactory


def _names(response) -> list[str]:
    return [m.name for m in response.context["page"]]


def test_member_directory_filters(client, committee, make_user) -> None:
    edu = Sector.objects.get(committee=committee, name="教育界")
    med = Sector.objects.get(committee=committee, name="医卫界")
    sc = SpecialCommitteeFactory(committee=committee, name="提案委员会")
    MemberFactory(committee=committee, name="赵老师", sector=edu, party=Party.CDL, is_standing=True)
    MemberFactory(committee=committee, name="钱医生", sector=med, party=Party.CPC)
    c = MemberFactory(committee=committee, name="孙医生", sector=med, party=Party.NON_PARTY, work_unit="县人民医院")
    SpecialCommitteeMembership.objects.create(special_committee=sc, member=c)
    resigned = MemberFactory(committee=committee, name="李前委员")
    MemberTerm.objects.filter(member=resigned).update(status=MemberTerm.Status.RESIGNED)
    client.force_login(make_user(Role.MEMBER))
    url = reverse("organisation:member_list")
    assert sorted(_names(client.get(url))) == sorted(["赵老师", "钱医生", "孙医生", Member.objects.filter(
        committee=committee).exclude(name__in=["赵老师", "钱医生", "孙医生", "李前委员"]).get().name])
    assert _names(client.get(url, {"sector": med.pk})) == ["孙医生", "钱医生"]
    assert _names(client.get(url, {"party": Party.CDL})) == ["赵老师"]
    assert _names(client.get(url, {"standing": "1"})) == ["赵老师"]
    assert _names(client.get(url, {"special_committee": sc.pk})) == ["孙医生"]
    assert _names(client.get(url, {"q": "人民医院"})) == ["孙医生"]
    partial = client.get(url, {"sector": edu.pk}, HTTP_HX_REQUEST="true")
    assert "<html" not in partial.content.decode() and "赵老师" in partial.content.decode()


def test_member_list_query_count_is_fixed(client, committee, make_user, django_assert_max_num_queries) -> None:
    client.force_login(make_user(Role.OFFICE_STAFF))
    for m in MemberFactory.create_batch(2, committee=committee):
        sc = SpecialCommitteeFactory(committee=committee)
        SpecialCommitteeMembership.objects.create(special_committee=sc, member=m)
    url = reverse("organisation:member_list")
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    for m in MemberFactory.create_batch(30, committee=committee):
        sc = SpecialCommitteeFactory(committee=committee)
        SpecialCommitteeMembership.objects.create(special_committee=sc, member=m)
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_unit_list_query_count_is_fixed(client, committee, make_user, django_assert_max_num_queries) -> None:
    client.force_login(make_user(Role.MEMBER))
    UnitFactory.create_batch(2, committee=committee)
    with django_assert_max_num_queries(30) as small:
        client.get(reverse("organisation:unit_list"))
    for unit in UnitFactory.create_batch(20, committee=committee):
        make_user(Role.UNIT_LIAISON, scope=unit)
    with django_assert_max_num_queries(len(small.captured_queries)):
        r = client.get(reverse("organisation:unit_list"))
    assert len(r.context["units"]) >= 22


def test_unit_detail_lists_liaisons(client, committee, make_user) -> None:
    unit = UnitFactory(committee=committee, name="县教育局", duties="负责全县教育")
    liaison = make_user(Role.UNIT_LIAISON, scope=unit, display_name="联络员甲")
    client.force_login(liaison)
    page = client.get(reverse("organisation:unit_detail", args=[unit.pk])).content.decode()
    assert "联络员甲" in page and "负责全县教育" in page


def test_party_coverage_counts_serving_members(client, committee, make_user) -> None:
    term = Term.objects.get(committee=committee)
    cpc1 = MemberFactory(committee=committee, party=Party.CPC)
    cpc2 = MemberFactory(committee=committee, party=Party.CPC)
    other1 = MemberFactory(committee=committee, party=Party.CDL)
    other2 = MemberFactory(committee=committee, party=Party.NON_PARTY)
    gone = MemberFactory(committee=committee, party=Party.CPC)
    MemberTerm.objects.filter(member=gone, term=term).update(status=MemberTerm.Status.RESIGNED)
    branch = PartyOrganisation.objects.create(committee=committee, kind=PartyOrganisation.Kind.FUNCTIONAL_BRANCH,
                                              name="第一功能型党支部")
    PartyOrganisationMembership.objects.create(organisation=branch, member=cpc1)
    PartyContactPair.objects.create(committee=committee, party_member=cpc1, non_party_member=other1)
    client.force_login(make_user(Role.LEADER))
    r = client.get(reverse("organisation:party_coverage"))
    cov = r.context["coverage"]
    assert (cov.cpc_members, cov.cpc_in_organisation, cov.organisation_rate) == (2, 1, 50.0)
    assert (cov.non_cpc_members, cov.non_cpc_contacted, cov.work_rate) == (2, 1, 50.0)
    assert cov.uncovered_cpc == [cpc2] and cov.uncontacted == [other2]
