import pytest

from xieshang.core.errors import DomainError
from xieshang.ledger.models import Event
from xieshang.ruleset.models import RuleSet
from xieshang.ruleset.selectors import rules_for
from xieshang.ruleset.services import ruleset_update


def test_a_year_takes_the_latest_earlier_rule_set_and_defaults_fill_the_rest(committee, admin_user) -> None:
    ruleset_update(actor=admin_user, committee_id=committee.pk, year=2024, values={"proposal.reply_months": "2"})
    assert rules_for(committee_id=committee.pk, year=2023)["proposal.reply_months"] == 3
    assert rules_for(committee_id=committee.pk, year=2024)["proposal.reply_months"] == 2
    # The committee's own rule set (created at onboarding for this year) holds nothing yet: defaults.
    current = RuleSet.objects.filter(committee=committee).order_by("-year").first()
    assert rules_for(committee_id=committee.pk, year=current.year)["proposal.reply_months"] == 3
    assert rules_for(committee_id=committee.pk, year=2024).is_default("proposal.objection_working_days")
    event = Event.objects.get(verb="ruleset.changed")
    assert event.data["changed"] == {"proposal.reply_months": [None, 2]}


def test_reply_classes_are_configurable(committee, admin_user) -> None:
    four = [{"code": c, "label": c} for c in "ABCD"]
    ruleset_update(actor=admin_user, committee_id=committee.pk, year=2025, values={"proposal.reply_classes": four})
    assert rules_for(committee_id=committee.pk, year=2025).reply_class_codes() == ["A", "B", "C", "D"]


@pytest.mark.parametrize("values", [
    {"proposal.reply_months": "abc"},
    {"proposal.reply_months": "0"},
    {"proposal.reply_months": "7", "proposal.reply_max_months": "6"},
    {"statistics.merged_counting": "whatever"},
    {"proposal.reply_classes": []},
    {"proposal.reply_classes": [{"code": "A", "label": "x"}, {"code": "A", "label": "y"}]},
    {"no.such.rule": 1},
])
def test_bad_values_are_refused_and_change_nothing(committee, admin_user, values) -> None:
    before = list(RuleSet.objects.values_list("year", "values"))
    with pytest.raises(DomainError):
        ruleset_update(actor=admin_user, committee_id=committee.pk, year=2026, values=values)
    assert list(RuleSet.objects.values_list("year", "values")) == before
    assert not Event.objects.filter(verb="ruleset.changed").exists()


def test_unknown_rule_key_in_code_is_a_programming_error(committee) -> None:
    with pytest.raises(KeyError):
        rules_for(committee_id=committee.pk)["proposal.no_such_thing"]
