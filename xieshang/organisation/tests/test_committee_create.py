import pytest

from xieshang.core.errors import DomainError
from xieshang.ledger.models import Event
from xieshang.organisation.models import Committee, Office, Sector
from xieshang.organisation.services import committee_create
from xieshang.ruleset.models import RuleSet
from xieshang.ruleset.selectors import rules_for

pytestmark = pytest.mark.django_db


def test_committee_starts_with_standard_sectors_offices_and_default_rules() -> None:
    c = committee_create(actor=None, code="wushan", name="政协武山县委员会", region_code="620524")
    assert Sector.objects.filter(committee=c).count() == 23
    assert list(Sector.objects.filter(committee=c).values_list("name", flat=True)[:3]) == ["中共", "民革", "民盟"]
    assert Office.objects.filter(committee=c, kind=Office.Kind.GOVERNMENT_SUPERVISION).count() == 1
    assert RuleSet.objects.filter(committee=c).count() == 1
    assert rules_for(committee_id=c.pk)["proposal.reply_months"] == 3
    event = Event.objects.get(committee=c)
    assert event.verb == "organisation.committee_created"


@pytest.mark.parametrize(("code", "name"), [("", "x"), ("Bad Code", "x"), ("1abc", "x"), ("ok", "  ")])
def test_bad_input_is_refused_and_creates_nothing(code: str, name: str) -> None:
    with pytest.raises(DomainError):
        committee_create(actor=None, code=code, name=name)
    assert Committee.objects.count() == 0


def test_duplicate_code_is_refused() -> None:
    committee_create(actor=None, code="dup", name="甲")
    with pytest.raises(DomainError, match="already exists"):
        committee_create(actor=None, code="dup", name="乙")
    assert Committee.objects.get().name == "甲"


def test_command_creates_a_committee(capsys) -> None:
    from django.core.management import call_command

    call_command("committee_create", "--code", "gangu", "--name", "政协甘谷县委员会")
    assert Committee.objects.get(code="gangu").name == "政协甘谷县委员会"
    assert Sector.objects.filter(committee__code="gangu").count() == 23
    assert "created gangu" in capsys.readouterr().out
