"""The one retry rule for work that failed and will be tried again (notifications, held messages)."""

from __future__ import annotations

import random
from datetime import timedelta


def retry_delay(attempts: int, base_seconds: float, *, growth: float = 2, jitter: float | None = None) -> timedelta:
    """base x growth^(attempts - 1), with ±20% jitter so many failing sends do not retry in step."""
    factor = random.uniform(0.8, 1.2) if jitter is None else jitter
    return timedelta(seconds=base_seconds * (growth ** max(attempts - 1, 0)) * factor)
