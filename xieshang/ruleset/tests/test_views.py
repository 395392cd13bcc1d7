from django.urls import reverse

from xieshang.ruleset.models import CalendarDay, RuleSet


def test_admin_changes_a_rule_through_the_page(client, committee, admin_user) -> None:
    client.force_login(admin_user)
    r = client.post(reverse("ruleset:rules"), {"year": "2026", "proposal.objection_working_days": "3"})
    assert r.status_code == 302
    assert RuleSet.objects.get(committee=committee, year=2026).values["proposal.objection_working_days"] == 3
    page = client.get(reverse("ruleset:rules") + "?year=2026").content.decode()
    assert 'value="3"' in page


def test_bad_value_shows_a_message_and_keeps_the_rules(client, committee, admin_user) -> None:
    client.force_login(admin_user)
    r = client.post(reverse("ruleset:rules"), {"year": "2026", "proposal.objection_working_days": "-4"}, follow=True)
    assert r.status_code == 200
    assert list(r.context["messages"])
    assert "proposal.objection_working_days" not in RuleSet.objects.get(committee=committee, year=2026).values


def test_calendar_page_flags_unknown_years_and_accepts_declarations(client, committee, admin_user) -> None:
    client.force_login(admin_user)
    page = client.get(reverse("ruleset:calendar") + "?year=2030")
    assert 'data-testid="calendar-unknown"' in page.content.decode()
    r = client.post(reverse("ruleset:calendar"), {"year": "2030", "lines": "2030-02-02 至 2030-02-08 休 春节"})
    assert r.status_code == 302
    assert CalendarDay.objects.filter(committee=committee).count() == 7
    page = client.get(reverse("ruleset:calendar") + "?year=2030").content.decode()
    assert 'data-testid="calendar-unknown"' not in page


def test_home_page_reminds_the_admin_of_an_unknown_calendar_year(client, committee, admin_user) -> None:
    import time_machine

    client.force_login(admin_user)
    with time_machine.travel("2026-11-28 10:00 +0800"):
        page = client.get(reverse("home")).content.decode()
    assert "2027" in page
