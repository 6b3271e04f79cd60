import pytest
from django.core.cache import cache

from samspill.platform.models import AuditEntry, OutboxEvent


@pytest.fixture(autouse=True)
def _clear_cache():
    """The web form's rate limit counts in the cache; every test starts from zero."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def events():
    """events(prefix) -> the types of the events published so far, in order."""

    def types(prefix: str = ""):
        rows = OutboxEvent.objects.order_by("occurred_at", "id").values_list("type", flat=True)
        return [t for t in rows if t.startswith(prefix)]

    return types


@pytest.fixture
def audit_entries():
    def entries(instance):
        return list(
            AuditEntry.objects.filter(
                object_id=str(instance.pk), content_type__model=instance._meta.model_name
            ).order_by("at", "id")
        )

    return entries


@pytest.fixture
def sales(make_user):
    return make_user("sales", first_name="Siri", last_name="Salg")


@pytest.fixture
def fast_forms(settings):
    """Web forms without the minimum fill-in time (the time check has its own test)."""
    settings.SAMSPILL = {**settings.SAMSPILL, "CRM_WEB_FORM_MIN_SECONDS": 0}
