import pytest

from samspill.platform.tests.factories import isolated_subscribers, thing_event


@pytest.fixture
def ThingHappened():
    with thing_event() as event_class:
        yield event_class


@pytest.fixture
def subscribers():
    with isolated_subscribers() as registry:
        yield registry


@pytest.fixture
def db_tasks(settings):
    """The database task backend, whatever TASK_BACKEND the suite runs with."""
    settings.TASK_BACKEND = "db"
    settings.TASKS = {
        "default": {"BACKEND": "django_tasks_db.DatabaseBackend", "QUEUES": [settings.TASK_QUEUE]}
    }


@pytest.fixture
def immediate_tasks(settings):
    settings.TASK_BACKEND = "immediate"
    settings.TASKS = {
        "default": {
            "BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
            "QUEUES": [settings.TASK_QUEUE],
        }
    }
