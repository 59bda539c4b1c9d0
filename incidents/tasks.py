"""Celery tasks: ids in, a service call, nothing else. The database decides what is due."""
from celery import shared_task

from .dashboard import store as dashboard_store
from .escalation import sweeper
from .services import notifications


@shared_task(name="incidents.deliver_notification", ignore_result=True)
def deliver_notification(notification_id: int) -> str:
    return notifications.deliver(notification_id)


@shared_task(name="incidents.sweep_escalations", ignore_result=True)
def sweep_escalations() -> dict:
    return sweeper.sweep().__dict__


@shared_task(name="incidents.refresh_dashboard", ignore_result=True)
def refresh_dashboard() -> dict:
    return dashboard_store.refresh().__dict__
