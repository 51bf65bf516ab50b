"""Database helpers (config/db.py)."""

import pytest

from config.db import IntegerLiteral, batches
from talent.models import ClinicianProfile
from tests.factories import ClinicianProfileFactory

pytestmark = pytest.mark.django_db


def test_an_integer_literal_is_written_into_the_sql_and_filters_like_a_parameter():
    ClinicianProfileFactory(current_interest_level=1)
    ClinicianProfileFactory(current_interest_level=3)
    written_in = ClinicianProfile.objects.filter(current_interest_level__gte=IntegerLiteral(2))

    sql, params = written_in.query.get_compiler(using="default").as_sql()

    assert ">= (2)" in sql
    assert params == ()
    assert list(written_in) == list(ClinicianProfile.objects.filter(current_interest_level__gte=2))


@pytest.mark.parametrize("value", ["1; DROP TABLE talent_clinicianprofile", "2", 2.0, True, None])
def test_an_integer_literal_refuses_anything_but_an_int(value):
    with pytest.raises(TypeError):
        IntegerLiteral(value)


def test_batches_keep_order_and_size():
    assert list(batches(range(5), 2)) == [[0, 1], [2, 3], [4]]
    assert list(batches([], 2)) == []
