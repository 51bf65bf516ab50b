"""Two first goals at once, on real PostgreSQL (each thread its own connection, started together at a barrier):
the clinician still has one plan, holding both goals."""

import pytest

from talent.models import DevelopmentPlan, PlanGoal
from talent.services import plans as service
from tests.concurrency import race
from tests.factories import ClinicianProfileFactory

# serialized_rollback keeps the reference data (regions, regulators) that migrations load.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_two_first_goals_at_once_make_one_plan():
    profile = ClinicianProfileFactory()

    results = race(
        *[
            lambda title=title: service.plan_goal_add(clinician=profile, title=title, dimensions=["engaging_the_team"])
            for title in ("Lead a project", "Chair a forum")
        ]
    )

    assert all(isinstance(result, PlanGoal) for result in results), results
    assert DevelopmentPlan.objects.filter(profile=profile).count() == 1
    assert PlanGoal.objects.filter(plan__profile=profile).count() == 2
