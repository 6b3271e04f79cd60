"""The Django Tasks API: `django.tasks` from Django 6, the django-tasks backport before."""

try:  # pragma: no cover - Django 6
    from django.tasks import task, task_backends  # type: ignore[import-not-found]
except ImportError:
    from django_tasks import task, task_backends  # type: ignore[no-redef,assignment]  # noqa: F401
