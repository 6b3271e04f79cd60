"""Demo organisation: Nordlys Handel AS in Oslo, its departments in the front and back office,
one team per department, and the demo users (see samspill.users.demo) in the matching team.

Idempotent: running it again changes nothing that is already there.
"""

from __future__ import annotations

from django.db import transaction

from samspill.organization import queries, services
from samspill.organization.models import Department, Membership, Team
from samspill.users import demo as users_demo

COMPANY = {
    "legal_name": "Nordlys Handel AS",
    "org_number": "998877660",
    "mva_registered": True,
    "base_currency": "NOK",
    "fiscal_year_start_month": 1,
    "postal_street": "Postboks 123 Sentrum",
    "postal_code": "0102",
    "postal_city": "Oslo",
    "postal_country": "NO",
    "visiting_street": "Karl Johans gate 10",
    "visiting_code": "0154",
    "visiting_city": "Oslo",
    "visiting_country": "NO",
    "email": "post@nordlys-handel.example",
    "phone": "+4722123456",
    "website": "https://nordlys-handel.example",
    "iban": "NO7112345678903",
    "bank_account": "12345678903",
}

# code -> (name, function, team name, demo user (role) in the team)
DEPARTMENTS = {
    "SALG": ("Salg", "sales", "Salg Østlandet", "sales"),
    "MARK": ("Markedsføring", "marketing", "Kampanjer", "marketing"),
    "KUNDE": ("Kundeservice", "customer_service", "Kundesenteret", "service"),
    "OKO": ("Økonomi", "finance", "Regnskap", "finance"),
    "HR": ("Personal", "hr", "HR-teamet", "hr"),
    "IT": ("IT", "it", "Drift og brukerstøtte", "it"),
    "LOG": ("Drift og logistikk", "operations", "Lager og frakt", "operations"),
    "JUS": ("Juridisk", "legal", "Kontrakter", "legal"),
    "LED": ("Ledelsen", "management", "Ledergruppen", "management"),
}


@transaction.atomic
def load(*, actor=None):
    """Create the demo company, departments, teams and memberships. Returns the company."""
    users = {u.username: u for u in users_demo.load(actor=actor)}
    if queries.company() is None:
        services.update_company(actor=actor, **COMPANY)
    existing = {d.code: d for d in Department.objects.all()}
    for code, (name, function, team_name, role) in DEPARTMENTS.items():
        department = existing.get(code)
        if department is None:
            department = services.create_department(
                actor=actor, name=name, code=code, function=function
            )
        team = Team.objects.filter(department=department, name=team_name).first()
        if team is None:
            team = services.create_team(
                actor=actor, name=team_name, department=department, lead=users.get(role)
            )
        user = users.get(role)
        if user is not None and not Membership.objects.filter(team=team, user=user).exists():
            services.add_member(team, user, actor=actor, role=Membership.Role.MEMBER)
    # The administrator takes part in IT's team and management's team.
    admin = users.get("admin")
    if admin is not None:
        for code in ("IT", "LED"):
            team = Team.objects.filter(department__code=code).order_by("pk").first()
            if team and not Membership.objects.filter(team=team, user=admin).exists():
                services.add_member(team, admin, actor=actor)
    return queries.company()
