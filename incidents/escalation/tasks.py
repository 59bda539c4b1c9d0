"""Beat's escalation sweep: due levels move on, lost deliveries are driven again."""

from celery import shared_task

from incidents.escalation import sweeper
from incidents.platform import jobs


@shared_task(name=jobs.SWEEP_ESCALATIONS, ignore_result=True)
def sweep_escalations() -> dict:
    return sweeper.sweep().__dict__
