import pytest

from samspill.platform.models import AuditEntry, OutboxEvent


@pytest.fixture(autouse=True)
def testing_settings(settings):
    # What settings.TESTING chooses: the root conftest sets SAMSPILL_TESTING only after
    # pytest-django has imported the settings, so apply it here. Argon2 is slow on purpose,
    # and the manifest static storage needs `collectstatic`.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }


@pytest.fixture
def events():
    """events() -> the types of the events published so far, in order."""

    def types(prefix: str = ""):
        rows = OutboxEvent.objects.order_by("occurred_at", "id").values_list("type", flat=True)
        return [t for t in rows if t.startswith(prefix)]

    return types


@pytest.fixture
def audit_entries():
    def entries(instance=None):
        rows = AuditEntry.objects.order_by("at", "id")
        if instance is not None:
            rows = rows.filter(
                object_id=str(instance.pk), content_type__model=instance._meta.model_name
            )
        return list(rows)

    return entries
