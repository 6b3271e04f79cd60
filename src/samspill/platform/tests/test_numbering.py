"""Gapless document numbers per series and year (the concurrency test with real processes is
in sales/tests/test_concurrency.py)."""

from datetime import date

import pytest
from django.db import transaction

from samspill.platform.models import NumberSeries
from samspill.platform.numbering import next_number

pytestmark = pytest.mark.django_db


def draw(series="test.doc", day=date(2026, 3, 1), **kwargs):
    with transaction.atomic():
        return next_number(series, "DOC", day, **kwargs)


def test_numbers_count_per_series_and_year():
    assert [draw(), draw()] == ["DOC-2026-00001", "DOC-2026-00002"]
    assert draw(day=date(2027, 1, 1)) == "DOC-2027-00001"
    assert draw(series="test.other") == "DOC-2026-00001"
    assert draw(digits=3) == "DOC-2026-003"
    assert NumberSeries.objects.get(series="test.doc", year=2026).last == 3


def test_a_rolled_back_document_gives_its_number_back():
    class Undo(Exception):
        pass

    with pytest.raises(Undo), transaction.atomic():
        assert next_number("test.doc", "DOC", date(2026, 3, 1)) == "DOC-2026-00001"
        raise Undo
    assert draw() == "DOC-2026-00001"


@pytest.mark.django_db(transaction=True)
def test_numbers_are_drawn_inside_the_documents_transaction():
    with pytest.raises(RuntimeError):
        next_number("test.doc", "DOC", date(2026, 3, 1))
