import pytest
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    """Assertions on messages read the English source; nb has its own tests."""
    with translation.override("en"):
        yield


@pytest.fixture
def emitted(db):
    """emitted() -> [(type, payload)] of the events published since the fixture was made."""
    from samspill.platform.models import OutboxEvent

    before = set(OutboxEvent.objects.values_list("pk", flat=True))

    def read():
        rows = OutboxEvent.objects.exclude(pk__in=before).order_by("occurred_at", "pk")
        return [(row.type, row.payload) for row in rows]

    return read


@pytest.fixture
def sales(make_user):
    return make_user("sales", language="en")


@pytest.fixture
def finance(make_user):
    return make_user("finance", language="en")


@pytest.fixture
def management(make_user):
    return make_user("management", language="en")


@pytest.fixture
def pcs(db):
    from samspill.catalog.models import Unit

    return Unit.objects.get(code="pcs")
