"""docs/events.md lists every event type the code can publish."""

from samspill.platform import catalogue
from samspill.platform.events import EVENT_TYPES


def test_every_event_type_is_in_docs_events_md():
    text = catalogue.doc_path().read_text(encoding="utf-8")
    missing = [
        f"{cls.type} v{cls.version}"
        for cls in catalogue.documented_types().values()
        if catalogue.heading(cls) not in text
    ]
    assert missing == [], (
        f"event types missing from docs/events.md: {missing}. "
        "Run `samspill event-catalogue --write`."
    )


def test_registered_types_are_read_at_test_time():
    # the events modules of every app are imported at startup (PlatformConfig.ready)
    assert catalogue.documented_types().keys() <= EVENT_TYPES.keys()


def test_catalogue_renders_fields_and_subjects(ThingHappened):
    text = catalogue.render_event(ThingHappened)
    assert text.startswith("### `testing.thing.happened` (v1)")
    assert "Subjects: `thing_id` → thing" in text
    assert "| `thing_id` | int |" in text
    assert "| `amount` | Decimal |" in text
    # test-only types stay out of the published catalogue
    assert ThingHappened.type not in catalogue.documented_types()
