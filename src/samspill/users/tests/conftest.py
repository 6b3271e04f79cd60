import pytest

from samspill.platform.models import AuditEntry, OutboxEvent


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
