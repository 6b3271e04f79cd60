"""OpenAPI names each component schema after its class: two schemas with the same class name
in different apps would silently become one in docs/openapi.json (the last one wins), so a
client generated from it would send the wrong fields."""

from collections import defaultdict

from ninja import Schema

import samspill.api.urls  # noqa: F401  (imports every router and its schemas)


def _schemas(cls):
    for sub in cls.__subclasses__():
        yield sub
        yield from _schemas(sub)


def test_every_api_schema_has_its_own_name():
    modules = defaultdict(set)
    for schema in _schemas(Schema):
        if schema.__module__.startswith("samspill."):
            modules[schema.__name__].add(schema.__module__)
    assert {name: sorted(m) for name, m in modules.items() if len(m) > 1} == {}


def test_the_published_schema_keeps_both_kinds_of_line():
    from samspill.api.urls import api

    schemas = api.get_openapi_schema()["components"]["schemas"]
    assert "due_date" in schemas["EntryLineIn"]["properties"]
    assert "product_id" in schemas["LineIn"]["properties"]
