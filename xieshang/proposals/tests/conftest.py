import pytest

from xieshang.proposals.tests.factories import Cast


@pytest.fixture
def cast(committee):
    return Cast(committee)
