import logging
import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "project.settings")

app = Celery("missend")
app.config_from_object("django.conf:settings", namespace="CELERY")
# Each feature with background work keeps its tasks in its own tasks.py.
app.autodiscover_tasks(
    ["incidents.notifications", "incidents.escalation", "incidents.insight.dashboard", "incidents.relay"],
)


class QuietRelaySweeps(logging.Filter):
    """Beat sends the hold relay's sweep twice a second, and Celery writes three INFO lines for each
    (sent, received, succeeded): half a million lines a day of nothing. On Celery's beat, worker and
    trace loggers this filter drops those lines; a sweep that did something logs it itself
    (incidents/relay/services/sweep.py), and warnings and errors about the sweep pass."""

    NAMES = ("incidents.sweep_held_messages", "sweep-held-messages")

    def filter(self, record: logging.LogRecord) -> bool:
        if record.levelno > logging.INFO:
            return True
        message = record.getMessage()
        return not any(name in message for name in self.NAMES)


for _name in ("celery.beat", "celery.worker.strategy", "celery.app.trace"):
    logging.getLogger(_name).addFilter(QuietRelaySweeps())
