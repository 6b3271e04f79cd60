import pytest

from samspill.organization import demo
from samspill.organization.models import Company, Department, Membership, Team
from samspill.platform.models import AuditEntry, OutboxEvent
from samspill.users.demo import DEMO_USERS
from samspill.users.models import User

pytestmark = pytest.mark.django_db


def counts():
    return tuple(
        m.objects.count()
        for m in (Company, Department, Team, Membership, User, OutboxEvent, AuditEntry)
    )


def test_demo_company_is_valid_and_idempotent():
    company = demo.load()
    company.full_clean()
    assert company.legal_name == "Nordlys Handel AS"
    assert company.org_number_display.startswith("NO ") and company.mva_registered
    assert company.base_currency == "NOK"
    assert company.postal_city == "Oslo"
    assert set(Department.objects.values_list("office", flat=True)) == {"front", "back"}
    assert Department.objects.count() == len(demo.DEPARTMENTS)
    # Every demo user except admin is in the team of their department; admin in two teams.
    for role in DEMO_USERS:
        memberships = Membership.objects.filter(user__username=role)
        assert memberships.exists(), role
    sales_team = Team.objects.get(department__code="SALG")
    assert sales_team.lead.username == "sales"
    assert Membership.objects.filter(user__username="admin").count() == 2

    before = counts()
    demo.load()
    assert counts() == before
