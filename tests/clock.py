"""The moment a test runs at.

A test either does not depend on the date at all, or names the moment it runs at and builds every date from it:
fixtures and factories read `timezone.now()`, so travelling there first puts them on the same clock. Use
`runs_at(MOMENT)` as a module's autouse fixture:

    NOW = datetime(2026, 11, 25, 10, 0, tzinfo=UK)
    _at_now = runs_at(NOW)

Autouse fixtures are set up before any fixture a test asks for, so every fixture of the module sees `NOW` as today.
The clock keeps ticking from there, so records made one after another are still in order.
"""

from datetime import datetime

import pytest
import time_machine


def runs_at(moment: datetime):
    @pytest.fixture(autouse=True)
    def _runs_at():
        with time_machine.travel(moment, tick=True):
            yield moment

    return _runs_at
