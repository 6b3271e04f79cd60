"""Demo data (deterministic, idempotent, valid) and the automation actions."""

import pytest
from stdnum.no import orgnr as stdnum_orgnr

from samspill.parties import demo
from samspill.parties.models import Address, Consent, ContactPoint, Party, Relation, try_normalize
from samspill.parties.tests.factories import OrganizationFactory
from samspill.platform.models import AuditEntry, OutboxEvent

pytestmark = pytest.mark.django_db


def test_demo_load_is_idempotent_and_believable(make_user):
    actor = make_user("admin")
    first = demo.load(actor=actor, organizations=40, persons=30, seed=7)
    assert (first["organizations"], first["persons"]) == (40, 30)
    counts = (
        Party.objects.count(),
        ContactPoint.objects.count(),
        Address.objects.count(),
        Relation.objects.count(),
        Consent.objects.count(),
        AuditEntry.objects.count(),
    )
    again = demo.load(actor=actor, organizations=40, persons=30, seed=7)
    assert again == {
        "organizations": 0,
        "persons": 0,
        "contact_points": 0,
        "addresses": 0,
        "relations": 0,
        "consents": 0,
    }
    assert counts == (
        Party.objects.count(),
        ContactPoint.objects.count(),
        Address.objects.count(),
        Relation.objects.count(),
        Consent.objects.count(),
        AuditEntry.objects.count(),
    )

    orgs = Party.objects.filter(kind="organization")
    assert all(stdnum_orgnr.is_valid(o.orgnr) for o in orgs)
    assert all(o.name.endswith((" AS", " ASA", " ENK")) for o in orgs)
    for point in ContactPoint.objects.all():
        assert try_normalize(point.kind, point.value) == point.normalized
        if point.kind == "phone":
            assert point.normalized[:4] in ("+474", "+479")
    assert all(len(a.postal_code) == 4 and a.city for a in Address.objects.all())
    assert Relation.objects.exists() and Consent.objects.exists()
    assert Relation.objects.filter(is_primary=True).values("organization").distinct().count() == (
        Relation.objects.filter(is_primary=True).count()
    )
    assert not OutboxEvent.objects.exists()  # a bulk demo load publishes no events
    assert AuditEntry.objects.filter(action="create").count() >= 70


def test_demo_plan_is_deterministic():
    a = demo.plan(organizations=20, persons=20, seed=1)
    b = demo.plan(organizations=20, persons=20, seed=1)
    c = demo.plan(organizations=20, persons=20, seed=2)
    assert a == b
    assert a != c


def test_automation_actions_call_the_services(make_user):
    actions = pytest.importorskip("samspill.platform.actions")
    sales = make_user("sales", username="selger")
    org = OrganizationFactory()

    actions.get_action("parties.add_tag").run(str(org.pk), {"tag": "VIP"}, sales)
    actions.get_action("parties.add_role").run(str(org.pk), {"role": "customer"}, sales)
    actions.get_action("parties.assign_owner").run(str(org.pk), {"owner": "selger"}, sales)
    org.refresh_from_db()
    assert [t.name for t in org.tags.all()] == ["VIP"]
    assert org.is_customer and org.owner == sales
    actions.get_action("parties.remove_tag").run(str(org.pk), {"tag": "vip"}, sales)
    actions.get_action("parties.remove_role").run(str(org.pk), {"role": "customer"}, sales)
    org.refresh_from_db()
    assert not org.tags.exists() and not org.is_customer
    assert OutboxEvent.objects.filter(type="parties.party.updated").count() == 5

    from samspill.platform.errors import NotFound, ValidationFailed

    with pytest.raises(NotFound):
        actions.get_action("parties.add_tag").run("999999", {"tag": "VIP"}, sales)
    with pytest.raises(ValidationFailed):
        actions.get_action("parties.assign_owner").run(str(org.pk), {"owner": "nobody"}, sales)
