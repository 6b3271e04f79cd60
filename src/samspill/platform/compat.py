"""The Django Tasks API: `django.tasks` from Django 6, the django-tasks backport before.

`task` here puts every Samspill task on the configured queue (`settings.TASK_QUEUE`; each
pytest-xdist worker has its own), so no task definition has to name it."""

from typing import Any

from django.conf import settings

try:  # pragma: no cover - Django 6
    from django.tasks import task as _task  # type: ignore[import-not-found]
    from django.tasks import task_backends  # type: ignore[import-not-found]
except ImportError:
    from django_tasks import task as _task  # type: ignore[no-redef,assignment]
    from django_tasks import task_backends  # type: ignore[no-redef,assignment]  # noqa: F401


def task(function: Any = None, **options: Any) -> Any:
    """`@task` or `@task(priority=...)` on the configured queue unless one is named."""
    options.setdefault("queue_name", settings.TASK_QUEUE)
    if function is not None:
        return _task(**options)(function)
    return _task(**options)
