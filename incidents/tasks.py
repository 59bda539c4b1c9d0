"""Celery tasks: ids in, a service call, nothing else. The database decides what is due."""

from celery import shared_task

from incidents.escalation import sweeper
from incidents.insight.dashboard import store as dashboard_store
from incidents.notifications import services as notifications


@shared_task(name="incidents.deliver_notification", ignore_result=True)
def deliver_notification(notification_id: int) -> str:
    return notifications.deliver(notification_id)


@shared_task(name="incidents.sweep_escalations", ignore_result=True)
def sweep_escalations() -> dict:
    return sweeper.sweep().__dict__


@shared_task(name="incidents.refresh_dashboard", ignore_result=True)
def refresh_dashboard() -> dict:
    return dashboard_store.refresh().__dict__


@shared_task(name="incidents.release_held_message", ignore_result=True)
def release_held_message(held_id: int) -> str:
    from incidents.relay import release

    return release.release(held_id)


@shared_task(name="incidents.notify_held_message", ignore_result=True)
def notify_held_message(held_id: int) -> str:
    from incidents.relay import notice

    return notice.notify(held_id)


@shared_task(name="incidents.sweep_held_messages", ignore_result=True)
def sweep_held_messages() -> dict:
    from incidents.relay import sweeper as relay_sweeper

    return relay_sweeper.sweep().__dict__
