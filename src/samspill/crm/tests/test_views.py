"""The CRM pages: every page renders for the roles that may see it, forms keep input and show
errors (422, nothing written), lists have a fixed number of queries."""

from datetime import timedelta

import pytest
from django.utils import timezone

from samspill.crm import services
from samspill.crm.models import Activity, Lead, Opportunity, Stage
from samspill.crm.tests.factories import (
    ActivityFactory,
    LeadFactory,
    OpportunityFactory,
    ScoreRuleFactory,
    WebFormFactory,
)
from samspill.parties.tests.factories import OrganizationFactory

pytestmark = pytest.mark.django_db


def test_pages_render_for_sales(login, sales):
    client = login(sales)
    lead = LeadFactory()
    opportunity = OpportunityFactory(owner=sales)
    activity = ActivityFactory(owner=sales, opportunity=opportunity, party=opportunity.party)
    ScoreRuleFactory()
    WebFormFactory()
    urls = [
        "/crm/leads/",
        "/crm/leads/new/",
        "/crm/leads/import/",
        f"/crm/leads/{lead.pk}/",
        f"/crm/leads/{lead.pk}/edit/",
        "/crm/pipeline/",
        "/crm/opportunities/",
        "/crm/opportunities/new/",
        f"/crm/opportunities/{opportunity.pk}/",
        f"/crm/opportunities/{opportunity.pk}/edit/",
        "/crm/forecast/",
        "/crm/forecast/?group=owner",
        "/crm/forecast/?group=team",
        "/crm/activities/",
        "/crm/activities/mine/",
        "/crm/activities/new/",
        f"/crm/activities/{activity.pk}/",
        f"/crm/activities/{activity.pk}/edit/",
        f"/crm/activities/{activity.pk}/delete/",
        "/crm/calendar/",
        "/crm/calendar/?view=week",
        "/crm/settings/",
        "/crm/settings/stages/new/",
        "/crm/settings/rules/new/",
        "/crm/settings/forms/new/",
        "/crm/leads/?_export=csv",
        "/crm/opportunities/?_export=xlsx",
        f"/parties/{opportunity.party_id}/",
    ]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)


def test_roles_see_only_their_pages(login, make_user):
    service = login(make_user("service"))
    assert service.get("/crm/activities/mine/").status_code == 200
    assert service.get("/crm/leads/").status_code == 403
    marketing = login(make_user("marketing"))
    assert marketing.get("/crm/leads/").status_code == 200
    assert marketing.get("/crm/pipeline/").status_code == 403


def test_lead_form_keeps_input_and_shows_errors(login, sales):
    client = login(sales)
    response = client.post(
        "/crm/leads/new/", {"name": "Kari", "email": "ugyldig", "source": "manual"}
    )
    assert response.status_code == 422
    assert 'value="ugyldig"' in response.content.decode()
    assert "is-invalid" in response.content.decode()
    assert Lead.objects.count() == 0
    response = client.post(
        "/crm/leads/new/", {"name": "Kari", "email": "kari@example.no", "source": "manual"}
    )
    assert response.status_code == 302
    assert Lead.objects.get().owner is None or Lead.objects.get().name == "Kari"


def test_convert_from_the_lead_page(login, sales):
    client = login(sales)
    lead = services.create_lead(
        actor=sales, name="Kari Nordmann", company_name="Fjordlys AS", email="kari@f.example"
    )
    stage = Stage.objects.filter(is_won=False, is_lost=False).order_by("position").first()
    response = client.post(
        f"/crm/leads/{lead.pk}/convert/",
        {
            "organization": "",
            "opportunity_name": "Fjordlys – lys",
            "expected_revenue": "abc",
            "close_date": "2027-01-10",
            "stage": stage.pk,
            "owner": sales.pk,
        },
    )
    assert response.status_code == 422
    assert Opportunity.objects.count() == 0
    response = client.post(
        f"/crm/leads/{lead.pk}/convert/",
        {
            "organization": "",
            "opportunity_name": "Fjordlys – lys",
            "expected_revenue": "90000",
            "close_date": "2027-01-10",
            "stage": stage.pk,
            "owner": sales.pk,
        },
    )
    opportunity = Opportunity.objects.get()
    assert response.status_code == 302 and response["Location"] == opportunity.get_absolute_url()
    page = client.get(f"/parties/{opportunity.party_id}/").content.decode()
    assert "Open opportunities" in page or "Åpne muligheter" in page


def test_duplicates_show_on_the_lead_page_and_can_be_chosen(login, sales):
    existing = OrganizationFactory(name="Fjordlys AS", orgnr="923609016")
    lead = services.create_lead(
        actor=sales, name="Kari", company_name="Fjordlys AS", email="k@f.example", orgnr="923609016"
    )
    client = login(sales)
    page = client.get(f"/crm/leads/{lead.pk}/").content.decode()
    assert existing.get_absolute_url() in page
    assert 'id="id_opportunity_name"' in page and 'name="organization"' in page
    stage = Stage.objects.filter(is_won=False, is_lost=False).first()
    data = {
        "opportunity_name": "X",
        "expected_revenue": "1",
        "close_date": "2027-01-10",
        "stage": stage.pk,
    }
    response = client.post(f"/crm/leads/{lead.pk}/convert/", data | {"organization": ""})
    assert response.status_code == 422  # the duplicate check stops it
    response = client.post(f"/crm/leads/{lead.pk}/convert/", data | {"organization": existing.pk})
    assert response.status_code == 302
    assert Opportunity.objects.get().party == existing


def test_board_drag_posts_move_and_returns_the_board(login, sales, events):
    client = login(sales)
    opportunity = OpportunityFactory()
    won = Stage.objects.get(is_won=True)
    lost = Stage.objects.get(is_lost=True)
    response = client.post(
        f"/crm/pipeline/{opportunity.pk}/move/", {"stage": lost.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 422
    assert 'id="board-error"' in response.content.decode()
    response = client.post(
        f"/crm/pipeline/{opportunity.pk}/move/", {"stage": won.pk}, HTTP_HX_REQUEST="true"
    )
    assert response.status_code == 200
    assert f'id="opportunity-{opportunity.pk}"' in response.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == "won"
    assert events("crm.opportunity.") == ["crm.opportunity.stage_changed", "crm.opportunity.won"]


def test_board_page_has_a_fixed_number_of_queries(login, sales, django_assert_max_num_queries):
    client = login(sales)
    OpportunityFactory.create_batch(3)
    client.get("/crm/pipeline/")
    with django_assert_max_num_queries(14) as few:
        client.get("/crm/pipeline/")
    OpportunityFactory.create_batch(30)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get("/crm/pipeline/")


@pytest.mark.parametrize("url", ["/crm/leads/", "/crm/opportunities/", "/crm/activities/"])
def test_list_pages_have_a_fixed_number_of_queries(
    login, sales, url, django_assert_max_num_queries
):
    client = login(sales)
    LeadFactory.create_batch(2)
    ActivityFactory.create_batch(2)
    OpportunityFactory.create_batch(2)
    client.get(url)
    with django_assert_max_num_queries(20) as few:
        client.get(url)
    LeadFactory.create_batch(20)
    ActivityFactory.create_batch(20)
    OpportunityFactory.create_batch(20)
    with django_assert_max_num_queries(len(few.captured_queries)):
        client.get(url)


def test_my_activities_shows_overdue_first(login, sales):
    now = timezone.now()
    ActivityFactory(owner=sales, subject="Senere", due_at=now + timedelta(days=2))
    ActivityFactory(owner=sales, subject="Forsinket", due_at=now - timedelta(days=1))
    page = login(sales).get("/crm/activities/mine/").content.decode()
    assert page.index("Forsinket") < page.index("Senere")
    assert 'id="overdue"' in page


def test_complete_activity_from_the_list(login, sales):
    activity = ActivityFactory(owner=sales)
    response = login(sales).post(
        f"/crm/activities/{activity.pk}/complete/",
        {"outcome": "Bra", "next": "/crm/activities/mine/"},
    )
    assert response.status_code == 302 and response["Location"] == "/crm/activities/mine/"
    assert Activity.objects.get().completed_at is not None


def test_calendar_shows_the_activity_on_its_day(login, sales):
    due = timezone.now().replace(hour=10, minute=0) + timedelta(days=1)
    ActivityFactory(owner=sales, subject="Kalendermøte", due_at=due)
    day = timezone.localtime(due).date()
    page = login(sales).get(f"/crm/calendar/?date={day.isoformat()}").content.decode()
    assert "Kalendermøte" in page
    week = login(sales).get(f"/crm/calendar/?view=week&date={day.isoformat()}").content.decode()
    assert "Kalendermøte" in week


def test_settings_create_rule_and_web_form(login, sales):
    client = login(sales)
    response = client.post(
        "/crm/settings/rules/new/",
        {"field": "email", "operator": "contains", "value": "", "points": "5", "is_active": "on"},
    )
    assert response.status_code == 422
    response = client.post(
        "/crm/settings/rules/new/",
        {"field": "email", "operator": "contains", "value": "@", "points": "5", "is_active": "on"},
    )
    assert response.status_code == 302
    response = client.post("/crm/settings/forms/new/", {"name": "Hjemmeside", "is_active": "on"})
    assert response.status_code == 302
    page = client.get("/crm/settings/").content.decode()
    assert "&lt;iframe" in page and "/crm/form/" in page


def test_public_form_page_accepts_a_lead_and_can_be_framed(client, settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "CRM_WEB_FORM_MIN_SECONDS": 0}
    form = WebFormFactory(thank_you="Takk for henvendelsen!")
    page = client.get(f"/crm/form/{form.key}/")
    assert page.status_code == 200
    assert "X-Frame-Options" not in page
    assert "frame-ancestors *" in page["Content-Security-Policy"]
    token = page.context["form"].initial["token"]
    response = client.post(
        f"/crm/form/{form.key}/",
        {"name": "Nett", "email": "nett@example.no", "token": token, "website": ""},
    )
    assert response.status_code == 200
    assert "Takk for henvendelsen!" in response.content.decode()
    assert Lead.objects.get().source == "web_form"
    response = client.post(
        f"/crm/form/{form.key}/",
        {"name": "Bot", "email": "b@example.no", "token": token, "website": "x"},
    )
    assert response.status_code == 422
    assert Lead.objects.count() == 1
    assert client.get("/crm/form/nope/").status_code == 404


def test_import_page_reports_rows(login, sales):
    from django.core.files.uploadedfile import SimpleUploadedFile

    upload = SimpleUploadedFile(
        "leads.csv", b"name;email\nKari;kari@example.no\nPer;feil\n", "text/csv"
    )
    response = login(sales).post("/crm/leads/import/", {"file": upload})
    assert response.status_code == 422
    page = response.content.decode()
    assert 'id="import-errors"' in page
    assert Lead.objects.count() == 1


def test_search_finds_leads_and_opportunities(login, sales):
    LeadFactory(name="Unikt Leadnavn")
    OpportunityFactory(name="Unik Mulighet")
    client = login(sales)
    assert "Unikt Leadnavn" in client.get("/search/?q=Unikt").content.decode()
    assert "Unik Mulighet" in client.get("/search/?q=Unik Mul").content.decode()


def test_lists_filter_by_customer_with_the_party_picker(login, sales):
    mine = OpportunityFactory(name="Hos kunden")
    OpportunityFactory(name="Hos en annen")
    client = login(sales)
    page = client.get(f"/crm/opportunities/?party={mine.party_id}").content.decode()
    assert "Hos kunden" in page and "Hos en annen" not in page
    options = client.get("/crm/contacts/lookup/", {"party_q": mine.party.name[:6]}).content.decode()
    assert f'value="{mine.party_id}"' in options
    assert client.get("/crm/activities/?party=999999").status_code == 200


def test_confirmed_delete_through_htmx_redirects(login, sales):
    rule = ScoreRuleFactory()
    response = login(sales).post(f"/crm/settings/rules/{rule.pk}/delete/", HTTP_HX_REQUEST="true")
    assert response.status_code == 204 and response["HX-Redirect"] == "/crm/settings/"
    page = login(sales).get("/crm/settings/").content.decode()
    assert 'hx-confirm="' in page


def test_activities_due_soon_are_marked_in_the_app(login, sales):
    ActivityFactory(owner=sales, subject="Snart", due_at=timezone.now() + timedelta(minutes=10))
    ActivityFactory(owner=sales, subject="Senere", due_at=timezone.now() + timedelta(days=3))
    page = login(sales).get("/crm/activities/mine/").content.decode()
    main = page[page.index("<main") :]  # the top bar has the notification bell
    assert main.count("bi-bell") == 1


def test_opportunity_and_activity_forms_refuse_bad_input(login, sales):
    client = login(sales)
    party = OrganizationFactory()
    response = client.post(
        "/crm/opportunities/new/",
        {"name": "X", "party": party.pk, "expected_revenue": "-1", "close_date": "2027-01-01"},
    )
    assert response.status_code == 422
    response = client.post(
        "/crm/opportunities/new/",
        {"name": "X", "party": "", "expected_revenue": "10", "close_date": "ikke en dato"},
    )
    assert response.status_code == 422
    assert Opportunity.objects.count() == 0
    response = client.post(
        "/crm/activities/new/",
        {"kind": "call", "subject": "Ring", "due_at": "2027-01-01T10:00", "duration_minutes": "30"},
    )
    assert response.status_code == 422
    assert (
        "Knytt aktiviteten" in response.content.decode()
        or "Link the activity" in response.content.decode()
    )
    response = client.post(
        "/crm/activities/new/",
        {
            "kind": "call",
            "subject": "Ring",
            "due_at": "2027-01-01T10:00",
            "duration_minutes": "30",
            "party": party.pk,
        },
    )
    assert response.status_code == 302, [(f, e) for f, e in response.context["form"].errors.items()]
    assert Activity.objects.get().owner == sales


def test_edit_pages_save_through_the_services(login, sales, events):
    client = login(sales)
    opportunity = OpportunityFactory(owner=sales)
    response = client.post(
        f"/crm/opportunities/{opportunity.pk}/edit/",
        {
            "name": "Nytt navn",
            "party": opportunity.party_id,
            "expected_revenue": "123,45",
            "close_date": "2027-02-01",
            "owner": sales.pk,
        },
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.name, str(opportunity.expected_revenue)) == ("Nytt navn", "123.45")
    assert events("crm.") == ["crm.opportunity.updated"]
    response = client.post(
        f"/crm/opportunities/{opportunity.pk}/move/", {"outcome": "lost", "reason": ""}
    )
    assert response.status_code == 422
    response = client.post(
        f"/crm/opportunities/{opportunity.pk}/move/", {"outcome": "lost", "reason": "Pris"}
    )
    assert response.status_code == 302
    opportunity.refresh_from_db()
    assert opportunity.status == "lost"
