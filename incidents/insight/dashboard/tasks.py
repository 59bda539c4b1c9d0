"""Beat's dashboard refresh: the days touched since the last run are rolled up again."""

from celery import shared_task

from incidents.insight.dashboard import services
from incidents.platform import jobs


@shared_task(name=jobs.REFRESH_DASHBOARD, ignore_result=True)
def refresh_dashboard() -> dict:
    return services.refresh().__dict__
