"""Background work of casework (Django's tasks API; the database backend by default, run by
`manage.py db_worker`; `manage.py casework_sweep` enqueues the sweep)."""

from __future__ import annotations

from django_tasks import task

from lianluo.casework import services, webhooks


@task()
def sweep_overdue() -> dict[str, int]:
    """Remind before deadlines, escalate overdue concerns, send due webhook deliveries."""
    return services.concerns_sweep()


@task()
def deliver_webhook(delivery_id: int) -> str:
    """One attempt at POSTing a concern to a unit's own system."""
    return webhooks.deliver(delivery_id)
