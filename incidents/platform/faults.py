"""Fault injection for the test suite: named points where the app behaves as if a process had died.

Off unless MISSEND_FAULTS names a point; nothing in production sets it, and `manage.py check`
warns when it is set. The integration tests use it to prove that the durable records (claim rows)
and the sweeper, not the broker, guarantee delivery:

- ``enqueue_lost``: notification claims commit but their delivery is never enqueued, exactly what
  happens when the web server or a worker dies between the commit and the on-commit enqueue.
- ``redrive_off``: the sweeper's re-drive of pending claims does nothing; with ``enqueue_lost`` on,
  claims stay pending for ever, which shows the tests would catch a sweeper that stopped re-driving.
"""

from __future__ import annotations

from django.core import checks

from incidents.conf import missend

ENQUEUE_LOST = "enqueue_lost"
REDRIVE_OFF = "redrive_off"
KNOWN = (ENQUEUE_LOST, REDRIVE_OFF)


def active(point: str) -> bool:
    return point in missend.FAULTS


@checks.register()
def faults_check(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    problems = []
    unknown = [point for point in missend.FAULTS if point not in KNOWN]
    if unknown:
        problems.append(
            checks.Error(
                f"MISSEND_FAULTS names unknown fault points: {', '.join(unknown)}",
                hint=f"Known points: {', '.join(KNOWN)}.",
                id="missend.E010",
            )
        )
    if missend.FAULTS:
        problems.append(
            checks.Warning(
                f"Fault injection is on ({', '.join(missend.FAULTS)}): notifications will be delayed or lost.",
                hint="MISSEND_FAULTS is for the test suite only; unset it.",
                id="missend.W010",
            )
        )
    return problems
