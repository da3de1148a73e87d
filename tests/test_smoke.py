import pytest

from tests.factories import ContributionRowFactory, ExpectedContributionFactory


@pytest.mark.django_db
def test_factories_build_consistent_rows():
    contribution = ExpectedContributionFactory()
    assert contribution.indicator.plan == contribution.activity.program.work_plan.plan
    row = ContributionRowFactory()
    assert row.opd.region == row.snapshot.indicator.plan.region
