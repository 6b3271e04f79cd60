import pytest
from django.core.cache import cache
from django.utils import translation


@pytest.fixture(autouse=True)
def english_messages():
    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def fresh_rate_limits():
    """Rate-limit counters and remembered votes live in the cache: each test starts clean."""
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def emitted(db):
    """emitted() -> [(type, payload)] of the events published since the fixture was made."""
    from samspill.platform.models import OutboxEvent

    before = set(OutboxEvent.objects.values_list("pk", flat=True))

    def read():
        rows = OutboxEvent.objects.exclude(pk__in=before).order_by("occurred_at", "id")
        return [(row.type, row.payload) for row in rows]

    return read


@pytest.fixture
def editor(make_user):
    return make_user("service", first_name="Siri", last_name="Service")


@pytest.fixture
def reader(make_user):
    return make_user("sales")


@pytest.fixture
def outsider(make_user):
    return make_user()


@pytest.fixture
def returns(db):
    from samspill.knowledge import services

    return services.create_category(
        actor=None, name="Retur", name_en="Returns", slug="retur", description="Sende tilbake"
    )


@pytest.fixture
def write(editor, returns):
    """write(title, body, **fields) -> an article written by the editor (published, public
    and Norwegian unless told otherwise)."""
    from samspill.knowledge import services

    def make(title, body, *, publish=True, visibility="public", language="nb", **fields):
        fields.setdefault("category", returns)
        return services.create_article(
            actor=editor,
            title=title,
            body=body,
            visibility=visibility,
            language=language,
            publish_now=publish,
            **fields,
        )

    return make


@pytest.fixture
def library(write):
    """Public, internal, draft and archived articles in both languages."""
    from samspill.knowledge import services

    rows = {
        "returns_nb": write(
            "Slik returnerer du en vare",
            "Du kan returnere ubrukte varer innen 30 dager. Kontakt kundeservice.",
            keywords="retur, angrerett",
        ),
        "invoice_nb": write(
            "Faktura og KID",
            "Betal alltid med KID, så blir fakturaen registrert som betalt.",
            keywords="faktura, betaling",
        ),
        "returns_en": write(
            "How to return goods",
            "Return unused goods within 30 days. Contact customer service.",
            language="en",
        ),
        "internal": write(
            "Rutine for retur på lageret",
            "Intern rutine: kreditnota for retur når varene er kontrollert.",
            visibility="internal",
        ),
        "draft": write(
            "Nye returregler (utkast)",
            "Hemmelig utkast om retur og frakt.",
            publish=False,
        ),
        "archived": write("Gamle returregler", "Retur innen 14 dager gjaldt før.", publish=True),
    }
    services.archive_article(rows["archived"], actor=None)
    rows["archived"].refresh_from_db()
    return rows
