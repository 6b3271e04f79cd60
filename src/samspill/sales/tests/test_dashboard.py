"""The sales dashboard: exact figures for a period, its page (charts, drill-down links, a
fixed number of queries), its API twin, and the drill-down filters of the CRM lists."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from samspill.sales import queries, services
from samspill.sales.views.dashboard import preset_range

pytestmark = pytest.mark.django_db
D = Decimal


def _long_ago():
    return timezone.now() - timedelta(days=400)


@pytest.fixture
def period():
    return preset_range("month", timezone.localdate())


@pytest.fixture
def sales_data(seller, customer, quote_lines):
    """This month: 4 leads (1 converted), opportunities A open, B won (ordered), C lost with
    a reason; two confirmed orders, one draft, one cancelled. Last year: a lead and a won
    opportunity that must not count."""
    from samspill.crm.models import Lead, Opportunity, Stage
    from samspill.crm.tests.factories import LeadFactory, OpportunityFactory, open_stage
    from samspill.parties.tests.factories import OrganizationFactory

    for n in range(4):
        LeadFactory(status=Lead.Status.CONVERTED if n == 0 else Lead.Status.NEW)
    LeadFactory(created_at=_long_ago())
    won, lost = Stage.objects.get(is_won=True), Stage.objects.get(is_lost=True)
    a = OpportunityFactory(party=customer, expected_revenue=D("10000"), stage=open_stage())
    b = OpportunityFactory(
        party=customer,
        expected_revenue=D("20000"),
        stage=won,
        status=Opportunity.Status.WON,
        closed_at=timezone.now(),
    )
    c = OpportunityFactory(
        expected_revenue=D("5000"),
        stage=lost,
        status=Opportunity.Status.LOST,
        closed_at=timezone.now(),
        reason="Price",
    )
    OpportunityFactory(
        stage=won,
        status=Opportunity.Status.WON,
        created_at=_long_ago(),
        closed_at=_long_ago(),
        expected_revenue=D("99999"),
    )
    big = OrganizationFactory(name="Stor Kunde AS", is_customer=True)
    first = services.create_order(
        actor=seller, party=customer, lines=quote_lines, opportunity_ref=str(b.pk)
    )
    services.confirm_order(first, actor=seller)
    second = services.create_order(actor=seller, party=big, lines=quote_lines + quote_lines)
    services.confirm_order(second, actor=seller)
    services.create_order(actor=seller, party=big, lines=quote_lines)  # a draft
    cancelled = services.create_order(actor=seller, party=customer, lines=quote_lines)
    services.confirm_order(cancelled, actor=seller)
    services.cancel_order(cancelled, actor=seller)
    first.refresh_from_db()
    second.refresh_from_db()
    return {"a": a, "b": b, "c": c, "first": first, "second": second, "big": big}


def test_preset_periods():
    day = date(2026, 11, 27)
    assert preset_range("month", day) == (date(2026, 11, 1), date(2026, 11, 30))
    assert preset_range("quarter", day) == (date(2026, 10, 1), date(2026, 12, 31))
    assert preset_range("year", day) == (date(2026, 1, 1), date(2026, 12, 31))
    assert preset_range("month", date(2026, 12, 5)) == (date(2026, 12, 1), date(2026, 12, 31))
    assert preset_range("quarter", date(2026, 2, 28)) == (date(2026, 1, 1), date(2026, 3, 31))


def test_dashboard_figures_are_exact(seller, customer, sales_data, period):
    start, end = period
    data = queries.dashboard(seller, start, end)
    first, second = sales_data["first"], sales_data["second"]

    assert data["orders"] == {
        "count": 2,
        "value": first.net_total + second.net_total,
        "average": ((first.net_total + second.net_total) / 2).quantize(D("0.01")),
    }
    assert [(c["name"], c["orders"], c["value"]) for c in data["top_customers"]] == [
        ("Stor Kunde AS", 1, second.net_total),
        ("Fjordkaffe AS", 1, first.net_total),
    ]
    assert data["closed"] == {
        "won": 1,
        "won_value": D("20000.00"),
        "lost": 1,
        "lost_value": D("5000.00"),
        "win_rate": D("50.0"),
        "lost_reasons": [("Price", 1)],
    }
    assert data["funnel"] == {
        "leads": 4,
        "converted": 1,
        "lead_rate": D("25.0"),
        "opportunities": 3,
        "ordered": 1,
        "order_rate": D("33.3"),
    }
    stage = sales_data["a"].stage
    [figure] = [s for s in data["pipeline"] if s.stage_id == stage.pk]
    assert (figure.count, figure.value) == (1, D("10000.00"))
    assert figure.weighted == (D("10000") * stage.probability / 100).quantize(D("0.01"))
    assert sum(s.count for s in data["pipeline"]) == 1  # won and lost stages are not open
    assert sum(r.count for r in data["forecast"]) == 1


def test_an_empty_period_has_no_rates(seller, period):
    data = queries.dashboard(seller, date(2020, 1, 1), date(2020, 1, 31))
    assert data["orders"] == {"count": 0, "value": D("0.00"), "average": None}
    assert data["closed"]["win_rate"] is None
    assert data["funnel"]["lead_rate"] is None and data["funnel"]["order_rate"] is None
    assert data["top_customers"] == []


def test_dashboard_page_shows_figures_and_links_with_fixed_queries(
    login, seller, sales_data, period, django_assert_max_num_queries
):
    start, end = period
    client = login(seller)
    with django_assert_max_num_queries(14):
        response = client.get(f"/sales/dashboard/?date_from={start}&date_to={end}")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Stor Kunde AS" in html and 'id="pipeline-chart"' in html
    assert f"?status=won&closed_from={start}&closed_to={end}" in html
    assert f"?party={sales_data['big'].pk}&status=confirmed&ordered_from={start}" in html
    assert 'data-testid="order-rate">33,3 %' in html  # nb: decimal comma
    chart = response.context["chart"]
    assert chart["customers"]["labels"] == ["Stor Kunde AS", "Fjordkaffe AS"]


def test_a_reversed_period_says_so_and_shows_this_quarter(login, seller):
    response = login(seller).get("/sales/dashboard/?date_from=2026-05-01&date_to=2026-04-01")
    assert response.status_code == 200
    assert "Perioden starter etter at den slutter." in response.content.decode()  # nb page
    today = timezone.localdate()
    assert response.context["figures"]["date_from"] == preset_range("quarter", today)[0]


def test_dashboard_needs_permission(login, make_user):
    assert login(make_user("hr")).get("/sales/dashboard/").status_code == 403


def test_dashboard_api(api, seller, sales_data, period):
    start, end = period
    response = api(seller).get(f"/api/v1/sales/dashboard?date_from={start}&date_to={end}")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["funnel"] == {
        "leads": 4,
        "converted": 1,
        "lead_rate": "25.0",
        "opportunities": 3,
        "ordered": 1,
        "order_rate": "33.3",
    }
    assert body["closed"]["lost_reasons"] == [["Price", 1]]
    assert [c["name"] for c in body["top_customers"]] == ["Stor Kunde AS", "Fjordkaffe AS"]

    bad = api(seller).get("/api/v1/sales/dashboard?date_from=2026-05-01&date_to=2026-04-01")
    assert bad.status_code == 422
    assert bad.json()["errors"] == {"date_from": ["The start of the period is after its end."]}
    denied = api(seller.__class__.objects.create_user("nobody", password="x" * 12))
    assert denied.get(f"/api/v1/sales/dashboard?date_from={start}&date_to={end}").status_code == 403


def test_crm_lists_filter_by_the_days_the_dashboard_links(api, login, seller, sales_data, period):
    start, end = period
    ids = [
        o["id"]
        for o in api(seller)
        .get(f"/api/v1/crm/opportunities?status=won&closed_from={start}&closed_to={end}")
        .json()["items"]
    ]
    assert ids == [sales_data["b"].pk]
    leads = api(seller).get(f"/api/v1/crm/leads?created_from={start}&created_to={end}").json()
    assert leads["count"] == 4
    page = login(seller).get(f"/crm/opportunities/?created_from={start}&created_to={end}")
    assert page.status_code == 200
    assert len(page.context["table"].rows) == 3


def test_a_quote_opened_from_an_opportunity_refers_to_it(login, seller, customer, quote_lines):
    from samspill.crm.tests.factories import OpportunityFactory
    from samspill.parties.tests.factories import PersonFactory

    contact = PersonFactory()
    opportunity = OpportunityFactory(party=customer, contact=contact, name="Kjølerom")
    client = login(seller)
    detail = client.get(f"/crm/opportunities/{opportunity.pk}/").content.decode()
    link = (
        f"/sales/quotes/new/?party={customer.pk}&amp;opportunity={opportunity.pk}"
        f"&amp;contact={contact.pk}"
    )
    assert link in detail
    form = client.get(link.replace("&amp;", "&"))
    assert form.context["form"].initial == {
        "party": str(customer.pk),
        "contact": str(contact.pk),
        "opportunity_ref": str(opportunity.pk),
    }
    quote = services.create_quote(
        actor=seller, party=customer, lines=quote_lines, opportunity_ref=str(opportunity.pk)
    )
    page = client.get(f"/sales/quotes/{quote.pk}/").content.decode()
    assert f'<a href="/crm/opportunities/{opportunity.pk}/">Kjølerom</a>' in page
