"""Demo CRM for Nordlys Handel AS: a web form and scoring rules, leads in every state, a
pipeline of opportunities across the stages for demo customers, and activities for the
demo sales user (some overdue).

Deterministic (fixed seed) and idempotent (keyed by the demo web form: a second run adds
nothing). Everything goes through the CRM services, so audit entries and events (and the
customers' timelines) are there as if people had done it; a few dozen records take a
second or two.
"""

from __future__ import annotations

import random
from datetime import timedelta
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone

from samspill.crm import services
from samspill.crm.models import Stage, WebForm
from samspill.organization import queries as organization_queries
from samspill.parties import queries as party_queries

DEMO_FORM = "Nordlys Handel – nettside"
SEED = 20261127

LEADS = [
    ("Marius Dahl", "Fjellvind Eiendom AS", "marius@fjellvind.example", "web_form"),
    ("Ane Lie", "Kystbyen Bakeri AS", "ane@kystbyen.example", "web_form"),
    ("Jostein Aas", "Aas Rørlegger", "jostein@aasror.example", "event"),
    ("Camilla Strand", "Strand Design AS", "camilla@stranddesign.example", "referral"),
    ("Petter Moe", "", "petter.moe@gmail.example", "web_form"),
    ("Live Berge", "Bergeveien Barnehage SA", "live@bergeveien.example", "email"),
    ("Tobias Ruud", "Ruud Transport AS", "tobias@ruudtransport.example", "import"),
    ("Hedda Vik", "Vik Regnskap AS", "hedda@vikregnskap.example", "manual"),
    ("Sigurd Holm", "Holm Verksted AS", "sigurd@holmverksted.example", "event"),
    ("Eline Foss", "Foss Arkitekter AS", "eline@fossark.example", "web_form"),
]

DEALS = [
    "Nytt kassesystem",
    "Serviceavtale 2027",
    "Lysanlegg butikk",
    "Rammeavtale kontorrekvisita",
    "Oppgradering lager",
    "Varebiler",
    "Kaffeautomater",
    "Skjermer og PC-er",
    "Hyllesystem",
    "Arbeidsklær",
    "Sikkerhetsutstyr",
    "Emballasje",
    "Renholdsavtale",
    "Kantineutstyr",
]

ACTIVITIES = [
    ("call", "Ring og følg opp tilbudet"),
    ("meeting", "Behovsmøte"),
    ("email", "Send produktark"),
    ("task", "Forbered tilbud"),
    ("call", "Avklar leveringstid"),
    ("meeting", "Demo hos kunden"),
]


@transaction.atomic
def load(*, actor=None) -> dict[str, int]:
    """Load the demo CRM unless it is there. Returns what was added."""
    if WebForm.objects.filter(name=DEMO_FORM).exists():
        return {"leads": 0, "opportunities": 0, "activities": 0}
    User = get_user_model()
    seller = User.objects.filter(username="sales", is_active=True).first() or actor
    rng = random.Random(SEED)
    today = timezone.localdate()
    now = timezone.now()

    services.ensure_default_stages()
    form = services.create_web_form(
        actor=actor,
        name=DEMO_FORM,
        default_owner=seller,
        thank_you="Takk! Vi kontakter deg innen én arbeidsdag.",
    )
    for field, operator, value, points in (
        ("company_name", "is_set", "", 20),
        ("orgnr", "is_set", "", 10),
        ("source", "equals", "referral", 25),
        ("email", "contains", "gmail", -10),
        ("message", "contains", "tilbud", 15),
    ):
        services.create_score_rule(
            actor=actor, field=field, operator=operator, value=value, points=points
        )

    leads = []
    for i, (name, company, email, source) in enumerate(LEADS):
        lead = services.create_lead(
            actor=actor,
            name=name,
            company_name=company,
            email=email,
            source=source,
            owner=seller,
            web_form=form if source == "web_form" else None,
            message="Vi ønsker et tilbud på varer til butikken." if i % 3 == 0 else "",
        )
        leads.append(lead)
    services.qualify_lead(leads[1], actor=actor)
    services.qualify_lead(leads[3], actor=actor)
    services.disqualify_lead(leads[4], actor=actor, reason="Privatperson, ikke i målgruppen")
    converted = services.convert_lead(
        leads[3],
        actor=actor,
        opportunity_name="Første bestilling",
        expected_revenue=Decimal("45000"),
        close_date=today + timedelta(days=21),
        owner=seller,
    )

    teams = list(organization_queries.teams().filter(department__office="front")[:2])
    customers = list(
        party_queries.visible_parties(None)
        .filter(kind="organization", is_customer=True)
        .order_by("id")[:14]
    ) or list(party_queries.visible_parties(None).filter(kind="organization").order_by("id")[:14])
    stages = list(Stage.objects.order_by("position"))
    open_stages = [s for s in stages if not s.is_closed]
    won = next((s for s in stages if s.is_won), None)
    lost = next((s for s in stages if s.is_lost), None)
    opportunities = []
    for i, party in enumerate(customers):
        opportunity = services.create_opportunity(
            actor=actor,
            name=DEALS[i % len(DEALS)],
            party=party,
            stage=open_stages[i % len(open_stages)],
            expected_revenue=Decimal(rng.randrange(20, 900) * 1000),
            close_date=today + timedelta(days=rng.randrange(-10, 150)),
            owner=seller,
            team=teams[i % len(teams)] if teams else None,
        )
        opportunities.append(opportunity)
    opportunities.append(converted.opportunity)
    if won and len(opportunities) > 3:
        services.move_opportunity(
            opportunities[0], actor=actor, stage=won, reason="Best på service"
        )
    if lost and len(opportunities) > 4:
        services.move_opportunity(
            opportunities[1], actor=actor, stage=lost, reason="Valgte en billigere leverandør"
        )

    activities = 0
    if seller is not None:
        for i, opportunity in enumerate(opportunities[2:]):
            kind, subject = ACTIVITIES[i % len(ACTIVITIES)]
            day = timezone.localtime(now) + timedelta(days=rng.randrange(-6, 20))
            due = day.replace(hour=rng.randrange(8, 16), minute=0, second=0, microsecond=0)
            activity = services.create_activity(
                actor=actor,
                kind=kind,
                subject=subject,
                due_at=due,
                owner=seller,
                party=opportunity.party,
                opportunity=opportunity,
                duration_minutes=60 if kind == "meeting" else 30,
            )
            activities += 1
            if i % 5 == 4:
                services.complete_activity(activity, actor=actor, outcome="Kunden ønsker tilbud")
        for lead in leads[:3]:
            services.create_activity(
                actor=actor,
                kind="call",
                subject=f"Ring {lead.name}",
                lead=lead,
                owner=seller,
                due_at=(timezone.localtime(now) - timedelta(days=1)).replace(
                    hour=10, minute=0, second=0, microsecond=0
                ),
            )
            activities += 1
    return {"leads": len(leads), "opportunities": len(opportunities), "activities": activities}
