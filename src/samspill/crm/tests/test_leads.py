"""Leads through the services: entry, scoring, qualification, conversion, web form spam
protection and CSV import."""

import time
from decimal import Decimal

import pytest
from django.core import signing

from samspill.crm import queries, services
from samspill.crm.models import Lead, Opportunity, ScoreRule
from samspill.crm.services.leads import SIGNING_SALT
from samspill.crm.tests.factories import LeadFactory, WebFormFactory
from samspill.parties.models import Party
from samspill.parties.services import DuplicateParty
from samspill.parties.tests.factories import ContactPointFactory, OrganizationFactory
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db

ORGNR = "923609016"


def test_create_lead_normalises_scores_audits_and_publishes(sales, events, audit_entries):
    services.create_score_rule(actor=None, field="company_name", operator="is_set", points=20)
    services.create_score_rule(
        actor=None, field="email", operator="ends_with", value="@gmail.com", points=-5
    )
    lead = services.create_lead(
        actor=sales,
        name=" Kari Nordmann ",
        company_name="Fjordlys AS",
        email="KARI@Fjordlys.Example",
        phone="41 23 45 67",
        orgnr="923 609 016",
    )
    assert (lead.name, lead.email, lead.phone, lead.orgnr) == (
        "Kari Nordmann",
        "kari@fjordlys.example",
        "+4741234567",
        ORGNR,
    )
    assert lead.score == 20
    assert lead.status == Lead.Status.NEW
    assert events("crm.") == ["crm.lead.created"]
    assert [e.action for e in audit_entries(lead)] == ["create"]


def test_bad_lead_input_writes_nothing(sales, events):
    with pytest.raises(ValidationFailed) as caught:
        services.create_lead(actor=sales, name="", email="not-an-email", orgnr="123", phone="12")
    assert {"name", "email", "orgnr", "phone"} <= set(caught.value.errors)
    with pytest.raises(ValidationFailed) as caught:
        services.create_lead(actor=sales, name="Uten kontakt")
    assert "email" in caught.value.errors
    assert Lead.objects.count() == 0
    assert events("crm.") == []


def test_roles_decide_who_may_enter_leads(make_user):
    service = make_user("service")
    marketing = make_user("marketing")
    with pytest.raises(PermissionDenied):
        services.create_lead(actor=service, name="X", email="x@example.no")
    assert services.create_lead(actor=marketing, name="X", email="x@example.no").pk


def test_score_is_recalculated_on_change_and_when_rules_change(sales):
    lead = services.create_lead(actor=sales, name="Per", email="per@example.no")
    assert lead.score == 0
    rule = services.create_score_rule(
        actor=None, field="company_name", operator="contains", value="as", points=15
    )
    lead.refresh_from_db()
    assert lead.score == 0
    lead = services.update_lead(lead, actor=sales, company_name="Per Bygg AS")
    assert lead.score == 15
    services.update_score_rule(rule, actor=None, points=30)
    lead.refresh_from_db()
    assert lead.score == 30
    services.delete_score_rule(rule, actor=None)
    lead.refresh_from_db()
    assert lead.score == 0


def test_rule_that_needs_a_value_is_refused():
    with pytest.raises(ValidationFailed) as caught:
        services.create_score_rule(
            actor=None, field="email", operator="contains", value="", points=5
        )
    assert "value" in caught.value.errors
    assert ScoreRule.objects.count() == 0


def test_qualify_and_disqualify(sales, events):
    lead = services.create_lead(actor=sales, name="Per", email="per@example.no")
    services.qualify_lead(lead, actor=sales)
    with pytest.raises(Conflict):
        services.qualify_lead(lead, actor=sales)
    with pytest.raises(ValidationFailed):
        services.disqualify_lead(lead, actor=sales, reason="  ")
    lead = services.disqualify_lead(lead, actor=sales, reason="Ingen budsjett")
    assert (lead.status, lead.disqualify_reason) == ("disqualified", "Ingen budsjett")
    assert events("crm.lead.") == [
        "crm.lead.created",
        "crm.lead.qualified",
        "crm.lead.disqualified",
    ]
    with pytest.raises(Conflict):
        services.update_lead(lead, actor=sales, name="Nytt navn")


def test_convert_creates_organisation_contact_and_opportunity_in_one_step(sales, events):
    lead = services.create_lead(
        actor=sales,
        name="Kari Nordmann",
        company_name="Fjordlys AS",
        email="kari@fjordlys.example",
        orgnr=ORGNR,
    )
    result = services.convert_lead(lead, actor=sales, expected_revenue="125000,5")
    org, contact, opportunity = result.party, result.contact, result.opportunity
    assert org.kind == Party.Kind.ORGANIZATION and org.name == "Fjordlys AS" and org.orgnr == ORGNR
    assert org.is_prospect
    assert (contact.first_name, contact.last_name) == ("Kari", "Nordmann")
    assert contact.contact_points.get().normalized == "kari@fjordlys.example"
    assert contact.organization_relations.get().organization == org
    assert opportunity.party == org and opportunity.contact == contact and opportunity.lead == lead
    assert opportunity.expected_revenue == Decimal("125000.50")
    assert opportunity.owner == sales
    lead.refresh_from_db()
    assert (lead.status, lead.party, lead.contact) == ("converted", org, contact)
    assert events("crm.") == ["crm.lead.created", "crm.opportunity.created", "crm.lead.converted"]
    assert "parties.party.created" in events("parties.")
    with pytest.raises(Conflict):
        services.convert_lead(lead, actor=sales)


def test_converted_events_name_the_party_for_its_timeline(sales):
    from samspill.platform.timeline import timeline

    lead = services.create_lead(
        actor=sales, name="Kari Nordmann", company_name="Fjordlys AS", email="k@f.example"
    )
    result = services.convert_lead(lead, actor=sales)
    types = [entry.event.type for entry in timeline("party", result.party.pk)]
    assert "crm.lead.converted" in types and "crm.opportunity.created" in types


def test_convert_stops_at_a_duplicate_and_writes_nothing(sales, events):
    existing = OrganizationFactory(name="Fjordlys AS", orgnr=ORGNR)
    lead = services.create_lead(
        actor=sales, name="Kari", company_name="Fjordlys AS", email="k@f.example", orgnr=ORGNR
    )
    assert queries.lead_duplicates(lead) == [existing]
    with pytest.raises(DuplicateParty):
        services.convert_lead(lead, actor=sales)
    assert Opportunity.objects.count() == 0
    assert Party.objects.count() == 1
    lead.refresh_from_db()
    assert lead.status == "new"
    result = services.convert_lead(lead, actor=sales, organization=existing)
    assert result.party == existing
    assert result.contact.organization_relations.get().organization == existing


def test_convert_without_company_makes_the_person_the_customer(sales):
    lead = services.create_lead(actor=sales, name="Privat Person", email="privat@example.no")
    result = services.convert_lead(lead, actor=sales)
    assert result.party == result.contact
    assert result.party.kind == Party.Kind.PERSON
    assert result.opportunity.contact is None


def test_duplicates_by_email_and_phone():
    person = OrganizationFactory(name="Annet Navn AS", orgnr="")
    ContactPointFactory(party=person, kind="email", value="post@annet.example")
    lead = LeadFactory(company_name="Helt Ny AS", email="post@annet.example", orgnr="")
    assert queries.lead_duplicates(lead) == [person]


# --- Web form -------------------------------------------------------------------------------


def _old_token(key, seconds=10):
    return signing.dumps({"k": key, "t": time.time() - seconds}, salt=SIGNING_SALT, compress=True)


def test_web_lead_is_captured_with_the_forms_owner(make_user, events):
    owner = make_user("sales")
    form = WebFormFactory(default_owner=owner)
    lead = services.capture_web_lead(
        form_key=form.key,
        token=_old_token(form.key),
        name="Nettkunde",
        email="n@example.no",
        ip="10.0.0.1",
    )
    assert (lead.source, lead.web_form, lead.owner) == ("web_form", form, owner)
    assert events("crm.") == ["crm.lead.created"]


@pytest.mark.parametrize(
    ("kind", "code"),
    [
        ("honeypot", "spam_suspected"),
        ("fast", "too_fast"),
        ("tampered", "form_token_invalid"),
        ("other_form", "form_token_invalid"),
    ],
)
def test_web_form_spam_is_refused_and_nothing_written(kind, code):
    form = WebFormFactory()
    other = WebFormFactory()
    token = {
        "honeypot": _old_token(form.key),
        "fast": services.form_token(form.key),
        "tampered": _old_token(form.key)[:-2] + "xx",
        "other_form": _old_token(other.key),
    }[kind]
    with pytest.raises(ValidationFailed) as caught:
        services.capture_web_lead(
            form_key=form.key,
            token=token,
            honeypot="http://spam" if kind == "honeypot" else "",
            name="Bot",
            email="bot@example.no",
            ip="10.0.0.2",
        )
    assert caught.value.code == code
    assert Lead.objects.count() == 0


def test_web_form_rate_limit_per_address(settings):
    settings.SAMSPILL = {**settings.SAMSPILL, "CRM_WEB_LEADS_PER_WINDOW": 2}
    form = WebFormFactory()
    for i in range(2):
        services.capture_web_lead(
            form_key=form.key,
            token=_old_token(form.key),
            name=f"P{i}",
            email=f"p{i}@example.no",
            ip="10.0.0.3",
        )
    with pytest.raises(services.RateLimited) as caught:
        services.capture_web_lead(
            form_key=form.key,
            token=_old_token(form.key),
            name="P3",
            email="p3@example.no",
            ip="10.0.0.3",
        )
    assert caught.value.status == 429 and caught.value.extra["limit"] == 2
    # another address is not affected
    services.capture_web_lead(
        form_key=form.key,
        token=_old_token(form.key),
        name="P4",
        email="p4@example.no",
        ip="10.0.0.4",
    )
    assert Lead.objects.count() == 3


def test_inactive_form_is_refused():
    form = WebFormFactory(is_active=False)
    with pytest.raises(Exception) as caught:
        services.capture_web_lead(
            form_key=form.key, token=_old_token(form.key), name="X", email="x@example.no"
        )
    assert getattr(caught.value, "code", "") == "unknown_form"


# --- CSV import -----------------------------------------------------------------------------

CSV = (
    "navn;firma;e-post;telefon;orgnr;kilde\n"
    "Kari Nordmann;Fjordlys AS;kari@fjordlys.example;41234567;923609016;Web form\n"
    ";Uten navn AS;x@example.no;;;\n"
    "Per Hansen;Per AS;ikke-epost;;123;\n"
    "Ola Olsen;;ola@example.no;;;\n"
)


def test_import_reports_every_bad_row_and_writes_only_good_rows(sales, events):
    report = services.import_leads(actor=sales, content=CSV.encode("utf-8"))
    assert report.rows == 4
    assert [lead.name for lead in report.created] == ["Kari Nordmann", "Ola Olsen"]
    rows_with_errors = sorted({row for row, _f, _m in report.errors})
    assert rows_with_errors == [3, 4]
    assert {(row, field) for row, field, _m in report.errors} >= {
        (3, "name"),
        (4, "email"),
        (4, "orgnr"),
    }
    assert Lead.objects.count() == 2
    assert Lead.objects.get(name="Kari Nordmann").source == "web_form"
    assert Lead.objects.get(name="Ola Olsen").source == "import"
    assert events("crm.") == ["crm.lead.created", "crm.lead.created"]


def test_import_again_skips_existing_leads(sales):
    services.import_leads(actor=sales, content=CSV)
    report = services.import_leads(actor=sales, content=CSV)
    assert report.created == []
    assert len(report.skipped) == 2
    assert Lead.objects.count() == 2


def test_import_all_or_nothing(sales):
    report = services.import_leads(actor=sales, content=CSV, all_or_nothing=True)
    assert report.errors and report.created == []
    assert Lead.objects.count() == 0


def test_import_without_name_column_is_refused(sales):
    with pytest.raises(ValidationFailed) as caught:
        services.import_leads(actor=sales, content="email\nx@example.no\n")
    assert "file" in caught.value.errors


def test_merge_moves_crm_rows_and_erasure_anonymises_leads(sales, make_user):
    from samspill.crm.models import Activity
    from samspill.parties import services as party_services

    lead = services.create_lead(
        actor=sales, name="Kari Nordmann", company_name="Fjordlys AS", email="k@f.example"
    )
    result = services.convert_lead(lead, actor=sales)
    services.create_activity(
        actor=sales,
        subject="Ring",
        due_at=result.opportunity.close_date.isoformat() + "T09:00:00+01:00",
        party=result.contact.pk,
        notes="Privat",
    )
    twin = OrganizationFactory(name="Fjordlys Sjømat AS", orgnr="")
    services.create_opportunity(
        actor=sales, name="Tvilling", party=twin.pk, close_date=result.opportunity.close_date
    )
    party_services.merge_parties(actor=sales, survivor=result.party, duplicate=twin)
    assert Opportunity.objects.filter(party=result.party).count() == 2
    export = party_services.export_personal_data(actor=make_user("legal"), party=result.contact)
    assert export["crm"]["leads"][0]["email"] == "k@f.example"
    party_services.erase_person(actor=make_user("legal"), party=result.contact)
    lead.refresh_from_db()
    assert (lead.email, lead.phone, lead.message) == ("", "", "")
    assert Activity.objects.get().notes == ""


def test_inbound_messages_become_leads(api, admin_user, run_tasks):
    """Another system (a mail gateway, a shop) posts to the automation inbound endpoint."""
    import json

    client = api(admin_user)
    messages = [
        (
            "mail",
            "email",
            "m-1",
            {
                "from": "per@bygg.example",
                "from_name": "Per Bygg",
                "subject": "Tilbud?",
                "text": "Kan dere levere 20 dører?",
            },
        ),
        (
            "shop",
            "lead",
            "s-1",
            {"name": "Nina Nett", "email": "nina@example.no", "source": "referral"},
        ),
        ("shop", "lead", "s-2", {"name": "Uten kontaktinfo"}),  # not a valid lead: skipped
        ("shop", "order", "o-1", {"name": "Ikke et lead", "email": "x@example.no"}),
    ]
    for source, kind, key, data in messages:
        response = client.post(
            f"/api/v1/automation/inbound/{source}",
            json.dumps({"type": kind, "idempotency_key": key, "data": data}),
            content_type="application/json",
        )
        assert response.status_code == 201, response.content
    run_tasks()
    leads = {lead.name: lead for lead in Lead.objects.all()}
    assert set(leads) == {"Per Bygg", "Nina Nett"}
    assert leads["Per Bygg"].source == "email" and "20 dører" in leads["Per Bygg"].message
    assert leads["Nina Nett"].source == "referral"
