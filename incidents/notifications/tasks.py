"""Delivering one notification claim: an id in, the service decides (it sends only a claim it moves)."""

from celery import shared_task

from incidents.notifications import services
from incidents.platform import jobs


@shared_task(name=jobs.DELIVER_NOTIFICATION, ignore_result=True)
def deliver_notification(notification_id: int) -> str:
    return services.deliver(notification_id)
