"""What the periodic sweeps share (beat's incidents.sweep_escalations and incidents.sweep_held_messages).

A sweep runs its steps in order, each answering how many rows it handled; the counts fill the sweep's
result dataclass, and one log line says what happened only when something did (beat runs the relay's
sweep twice a second). A step reads what is due in batches (due_ids) and, where two sweeps may race for
a row, takes each row in a transaction of its own under its lock, skipping a row another sweep holds or
one no longer due (locked_if_due).

Nothing here writes or opens a transaction: the steps live in each feature's services.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Callable
from typing import TypeVar

from django.db.models import Model, QuerySet

BATCH = 500  # rows one step handles per sweep; the rest wait for the next sweep
Result = TypeVar("Result")


def due_ids(due: QuerySet, batch: int = BATCH) -> list[int]:
    """The ids of the first `batch` rows of `due` (in its order)."""
    return list(due.values_list("pk", flat=True)[:batch])


def locked_if_due(due: QuerySet, pk: int) -> Model | None:
    """The row, locked until the caller's transaction ends, if it is still in `due`; else None.

    A row another sweep holds is skipped (skip_locked), and so is one no longer due (the other sweep
    handled it since the ids were read): two sweeps at once never handle a row twice.
    """
    return due.select_for_update(skip_locked=True).filter(pk=pk).first()


def run(result: Result, log: logging.Logger, label: str, **steps: Callable[[], int]) -> Result:
    """Run the steps in order, each count stored in the result field of its name; log the counts if any."""
    for field, step in steps.items():
        setattr(result, field, step())
    counts = dataclasses.asdict(result)
    if any(counts.values()):
        log.info("%s: %s", label, counts)
    return result
