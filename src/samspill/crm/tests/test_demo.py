"""The demo CRM: leads, a pipeline across stages and activities (some overdue) for the demo
sales user; a second run adds nothing."""

import pytest
from django.utils import timezone

from samspill.crm import demo
from samspill.crm.models import Activity, Lead, Opportunity
from samspill.parties.tests.factories import OrganizationFactory
from samspill.platform.models import OutboxEvent

pytestmark = pytest.mark.django_db


def test_demo_crm_is_believable_and_idempotent(make_user):
    seller = make_user("sales", username="sales")
    OrganizationFactory.create_batch(8, is_customer=True)
    added = demo.load(actor=make_user("admin"))
    assert added["leads"] == 10 and added["opportunities"] == 9 and added["activities"] > 5
    assert set(Lead.objects.values_list("status", flat=True)) == {
        "new",
        "qualified",
        "disqualified",
        "converted",
    }
    assert Opportunity.objects.values("stage").distinct().count() >= 4
    assert set(Opportunity.objects.values_list("status", flat=True)) == {"open", "won", "lost"}
    mine = Activity.objects.filter(owner=seller, completed_at__isnull=True)
    assert mine.filter(due_at__lt=timezone.now()).exists()
    assert OutboxEvent.objects.filter(type="crm.opportunity.created").count() == 9
    counts = (Lead.objects.count(), Opportunity.objects.count(), Activity.objects.count())
    assert demo.load(actor=None) == {"leads": 0, "opportunities": 0, "activities": 0}
    assert counts == (Lead.objects.count(), Opportunity.objects.count(), Activity.objects.count())
