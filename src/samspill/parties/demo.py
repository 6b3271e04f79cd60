"""Demo contacts: believable Norwegian organisations and persons.

`load()` is deterministic (same seed, same data) and idempotent (organisations are keyed
by organisation number, persons by email address: running it twice adds nothing). It
writes the rows the services would write, audit entries included, with bulk inserts so
that it takes seconds; it publishes no events (a bulk demo load is not business history).
"""

from __future__ import annotations

import random
import unicodedata
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

import phonenumbers
from django.db import transaction
from stdnum.no import orgnr as stdnum_orgnr

from samspill.parties.models import Address, Consent, ContactPoint, Party, Relation, Tag
from samspill.platform import audit

DEFAULT_SEED = 20260101
REFERENCE_TIME = datetime(2026, 1, 1, 9, 0, tzinfo=UTC)

FIRST_NAMES = [
    "Ola",
    "Kari",
    "Per",
    "Ingrid",
    "Lars",
    "Anne",
    "Jon",
    "Marit",
    "Knut",
    "Silje",
    "Erik",
    "Hilde",
    "Bjørn",
    "Ragnhild",
    "Magnus",
    "Nora",
    "Sindre",
    "Ida",
    "Håkon",
    "Sofie",
    "Jonas",
    "Emma",
    "Henrik",
    "Thea",
    "Martin",
    "Maja",
    "Eirik",
    "Solveig",
    "Tor",
    "Astrid",
    "Øystein",
    "Line",
    "Geir",
    "Tone",
    "Sander",
    "Vilde",
    "Kristian",
    "Hanne",
    "Anders",
    "Åse",
    "Mathias",
    "Ingeborg",
    "Even",
    "Linnea",
    "Trond",
    "Siri",
    "Halvor",
    "Guro",
    "Aksel",
    "Marte",
]
LAST_NAMES = [
    "Hansen",
    "Johansen",
    "Olsen",
    "Larsen",
    "Andersen",
    "Pedersen",
    "Nilsen",
    "Kristiansen",
    "Jensen",
    "Karlsen",
    "Johnsen",
    "Pettersen",
    "Eriksen",
    "Berg",
    "Haugen",
    "Hagen",
    "Johannessen",
    "Andreassen",
    "Jacobsen",
    "Dahl",
    "Jørgensen",
    "Halvorsen",
    "Henriksen",
    "Lund",
    "Sørensen",
    "Jakobsen",
    "Moen",
    "Gundersen",
    "Iversen",
    "Strand",
    "Solberg",
    "Svendsen",
    "Eide",
    "Knutsen",
    "Martinsen",
    "Paulsen",
    "Bakken",
    "Kristoffersen",
    "Mathisen",
    "Lie",
    "Amundsen",
    "Nguyen",
    "Rasmussen",
    "Ali",
    "Lunde",
    "Solheim",
    "Berntsen",
    "Nygård",
    "Bakke",
    "Kvam",
    "Fossum",
    "Aasen",
    "Ødegård",
    "Brekke",
    "Holm",
    "Sæther",
    "Vik",
    "Tangen",
]
NAME_STEMS = [
    "Fjord",
    "Nordlys",
    "Fjell",
    "Vik",
    "Tind",
    "Bølge",
    "Havbris",
    "Skog",
    "Elv",
    "Midnattsol",
    "Polar",
    "Kyst",
    "Granitt",
    "Furu",
    "Lyng",
    "Bjørk",
    "Sjø",
    "Stein",
    "Vidde",
    "Brygge",
    "Nordvest",
    "Sørlandet",
    "Trøndelag",
    "Vestland",
    "Østfold",
    "Lofoten",
    "Hardanger",
    "Romsdal",
    "Telemark",
    "Finnmark",
    "Solsiden",
    "Aurora",
    "Trollheimen",
    "Dovre",
    "Jotun",
]
NAME_TRADES = [
    "Bygg",
    "Consult",
    "Regnskap",
    "Transport",
    "Elektro",
    "Rør",
    "Data",
    "Handel",
    "Eiendom",
    "Marine",
    "Sjømat",
    "Design",
    "Maskin",
    "Verksted",
    "Energi",
    "Logistikk",
    "Reklame",
    "Treningssenter",
    "Bakeri",
    "Tannlegesenter",
    "Arkitekter",
    "Advokatfirma",
    "IT",
    "Rengjøring",
    "Snekkerservice",
    "Malerservice",
    "Catering",
    "Kjøleteknikk",
    "Fiskeoppdrett",
]
PLACES = [
    ("0150", "Oslo"),
    ("0250", "Oslo"),
    ("0458", "Oslo"),
    ("0661", "Oslo"),
    ("5003", "Bergen"),
    ("5011", "Bergen"),
    ("7010", "Trondheim"),
    ("7030", "Trondheim"),
    ("4006", "Stavanger"),
    ("9008", "Tromsø"),
    ("3015", "Drammen"),
    ("4610", "Kristiansand S"),
    ("1530", "Moss"),
    ("2317", "Hamar"),
    ("6002", "Ålesund"),
    ("8006", "Bodø"),
    ("3110", "Tønsberg"),
    ("1606", "Fredrikstad"),
    ("2609", "Lillehammer"),
    ("5501", "Haugesund"),
    ("3717", "Skien"),
    ("1337", "Sandvika"),
    ("2000", "Lillestrøm"),
    ("6413", "Molde"),
    ("4307", "Sandnes"),
    ("3256", "Larvik"),
    ("2815", "Gjøvik"),
    ("9405", "Harstad"),
    ("8300", "Svolvær"),
    ("1440", "Drøbak"),
]
STREETS = [
    "Storgata",
    "Kirkegata",
    "Dronningens gate",
    "Strandveien",
    "Industriveien",
    "Sjøgata",
    "Parkveien",
    "Fjordveien",
    "Torggata",
    "Kongens gate",
    "Bryggeveien",
    "Skolegata",
    "Jernbanegata",
    "Hovedveien",
    "Havnegata",
    "Løkkeveien",
    "Nedre Slottsgate",
    "Solveien",
]
TAGS = [
    ("VIP", "#b02a37"),
    ("Forhandler", "#0d6efd"),
    ("Offentlig sektor", "#198754"),
    ("Nyhetsbrev", "#6f42c1"),
    ("Messe 2026", "#fd7e14"),
]
TITLES = [
    "Daglig leder",
    "Økonomisjef",
    "Innkjøper",
    "Salgssjef",
    "IT-ansvarlig",
    "Regnskapsfører",
    "Prosjektleder",
    "HR-rådgiver",
    "Driftssjef",
    "Kundeansvarlig",
    "Styreleder",
    "",
]
DEPARTMENTS = ["Økonomi", "Innkjøp", "Salg", "IT", "Drift", "Ledelse", ""]
CONSENT_SOURCES = ["nettskjema", "import", "registrert manuelt", "messe"]


@dataclass
class _Org:
    name: str
    orgnr: str
    domain: str
    website: str
    roles: dict[str, bool]
    language: str
    address: tuple[str, str, str, str]
    phone: str
    tags: list[str]
    created_at: datetime


@dataclass
class _Person:
    first_name: str
    last_name: str
    email: str
    phone: str
    organization: str | None  # orgnr
    title: str
    department: str
    is_primary: bool
    roles: dict[str, bool]
    consents: list[tuple[str, bool, str, datetime]] = field(default_factory=list)
    created_at: datetime = REFERENCE_TIME


def _ascii(text: str) -> str:
    text = text.lower().replace("æ", "ae").replace("ø", "o").replace("å", "a")
    text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return "".join(c for c in text if c.isalnum() or c in "-.")


def _orgnr(rng: random.Random, taken: set[str]) -> str:
    """8 random digits (first 8 or 9, like real numbers) and the MOD11 check digit."""
    while True:
        eight = str(rng.choice("89")) + "".join(str(rng.randrange(10)) for _ in range(7))
        check = (-stdnum_orgnr.checksum(eight + "0")) % 11
        if check == 10:
            continue  # no valid number with this stem
        number = eight + str(check)
        if stdnum_orgnr.is_valid(number) and number not in taken:
            taken.add(number)
            return number


def _mobile(rng: random.Random, taken: set[str]) -> str:
    while True:
        digits = rng.choice("49") + "".join(str(rng.randrange(10)) for _ in range(7))
        number = phonenumbers.parse(digits, "NO")
        e164 = phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
        if phonenumbers.is_valid_number(number) and e164 not in taken:
            taken.add(e164)
            return e164


def _format_phone(e164: str) -> str:
    return f"{e164[3:6]} {e164[6:8]} {e164[8:]}"


def _roles(rng: random.Random, weights: dict[str, float]) -> dict[str, bool]:
    return {role: rng.random() < weight for role, weight in weights.items()}


def plan(*, organizations: int, persons: int, seed: int) -> tuple[list[_Org], list[_Person]]:
    """The demo data for a seed, independent of what the database holds."""
    rng = random.Random(seed)
    orgnrs: set[str] = set()
    phones: set[str] = set()
    names: set[str] = set()
    orgs = []
    for _ in range(organizations):
        form = rng.choices(["AS", "ASA", "ENK"], weights=[80, 5, 15])[0]
        postal_code, city = rng.choice(PLACES)
        for attempt in range(8):
            stem = rng.choice(LAST_NAMES if form == "ENK" else NAME_STEMS)
            name = f"{stem} {rng.choice(NAME_TRADES)}"
            if attempt >= 4:  # the short names run out in large loads: add the town
                name = f"{name} {city}"
            if name not in names:
                break
        else:
            name = f"{name} {len(names) + 1}"
        names.add(name)
        full_name = f"{name} {form}"
        domain = _ascii(name.replace(" ", "")) + ".no"
        street = f"{rng.choice(STREETS)} {rng.randint(1, 140)}"
        orgs.append(
            _Org(
                name=full_name,
                orgnr=_orgnr(rng, orgnrs),
                domain=domain,
                website=f"https://www.{domain}" if rng.random() < 0.6 else "",
                roles=_roles(
                    rng, {"prospect": 0.2, "customer": 0.55, "supplier": 0.2, "partner": 0.05}
                ),
                language="en" if rng.random() < 0.05 else "nb",
                address=("visiting", street, postal_code, city),
                phone=_mobile(rng, phones) if rng.random() < 0.7 else "",
                tags=[t for t, _colour in TAGS if rng.random() < 0.08],
                created_at=REFERENCE_TIME - timedelta(days=rng.randint(0, 1000)),
            )
        )
    people = []
    emails: set[str] = set()
    primary_taken: set[str] = set()
    for index in range(persons):
        first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
        org = rng.choice(orgs) if orgs and rng.random() < 0.8 else None
        domain = org.domain if org else "example.no"
        local = f"{_ascii(first)}.{_ascii(last)}"
        email = f"{local}@{domain}"
        if email in emails:
            email = f"{local}{index}@{domain}"
        emails.add(email)
        is_primary = False
        if org is not None and org.orgnr not in primary_taken and rng.random() < 0.5:
            is_primary = True
            primary_taken.add(org.orgnr)
        person = _Person(
            first_name=first,
            last_name=last,
            email=email,
            phone=_mobile(rng, phones),
            organization=org.orgnr if org else None,
            title=rng.choice(TITLES) if org else "",
            department=rng.choice(DEPARTMENTS) if org else "",
            is_primary=is_primary,
            roles=_roles(rng, {"customer": 0.0 if org else 0.6, "prospect": 0.0 if org else 0.2}),
            created_at=REFERENCE_TIME - timedelta(days=rng.randint(0, 700)),
        )
        for channel, chance in (("email", 0.6), ("sms", 0.25), ("post", 0.1)):
            if rng.random() < chance:
                when = person.created_at + timedelta(days=rng.randint(0, 30))
                source = rng.choice(CONSENT_SOURCES)
                person.consents.append((channel, True, source, when))
                if rng.random() < 0.15:
                    later = when + timedelta(days=rng.randint(30, 300))
                    person.consents.append((channel, False, "manual", later))
        people.append(person)
    return orgs, people


@transaction.atomic
def load(
    *,
    actor=None,
    organizations: int = 300,
    persons: int = 200,
    seed: int = DEFAULT_SEED,
) -> dict[str, int]:
    """Insert the demo contacts that are not there yet. Returns what was added."""
    orgs, people = plan(organizations=organizations, persons=persons, seed=seed)
    owner = actor if actor is not None and getattr(actor, "is_authenticated", False) else None

    tags = {}
    for name, colour in TAGS:
        tags[name], created = Tag.objects.get_or_create(name=name, defaults={"colour": colour})
        if created:
            audit.record("create", tags[name], actor=actor, changes={"name": [None, name]})

    existing_orgnrs = set(
        Party.objects.filter(orgnr__in=[o.orgnr for o in orgs]).values_list("orgnr", flat=True)
    )
    new_orgs = [o for o in orgs if o.orgnr not in existing_orgnrs]
    org_rows = Party.objects.bulk_create(
        [
            Party(
                kind=Party.Kind.ORGANIZATION,
                name=o.name,
                orgnr=o.orgnr,
                website=o.website,
                language=o.language,
                owner=owner if o.roles["customer"] else None,
                created_at=o.created_at,
                **{Party.ROLE_FIELDS[role]: value for role, value in o.roles.items()},
            )
            for o in new_orgs
        ],
        batch_size=500,
    )
    existing_emails = set(
        ContactPoint.objects.filter(
            kind=ContactPoint.Kind.EMAIL, normalized__in=[p.email for p in people]
        ).values_list("normalized", flat=True)
    )
    new_people = [p for p in people if p.email not in existing_emails]
    person_rows = Party.objects.bulk_create(
        [
            Party(
                kind=Party.Kind.PERSON,
                name=f"{p.first_name} {p.last_name}",
                first_name=p.first_name,
                last_name=p.last_name,
                created_at=p.created_at,
                **{Party.ROLE_FIELDS[role]: value for role, value in p.roles.items()},
            )
            for p in new_people
        ],
        batch_size=500,
    )

    points, addresses, tag_links, consents, relations = [], [], [], [], []
    for o, row in zip(new_orgs, org_rows, strict=True):
        kind, line1, postal_code, city = o.address
        addresses.append(
            Address(party=row, kind=kind, line1=line1, postal_code=postal_code, city=city)
        )
        points.append(
            ContactPoint(
                party=row,
                kind="email",
                value=f"post@{o.domain}",
                normalized=f"post@{o.domain}",
                is_primary=True,
            )
        )
        if o.phone:
            points.append(
                ContactPoint(
                    party=row,
                    kind="phone",
                    value=_format_phone(o.phone),
                    normalized=o.phone,
                    is_primary=True,
                    label="sentralbord",
                )
            )
        tag_links += [Party.tags.through(party=row, tag=tags[name]) for name in o.tags]

    org_ids = dict(
        Party.objects.filter(orgnr__in=[p.organization for p in new_people if p.organization])
        .current()
        .values_list("orgnr", "pk")
    )
    primary_orgs = set(
        Relation.objects.filter(organization_id__in=org_ids.values(), is_primary=True).values_list(
            "organization_id", flat=True
        )
    )
    for p, row in zip(new_people, person_rows, strict=True):
        points.append(
            ContactPoint(
                party=row, kind="email", value=p.email, normalized=p.email, is_primary=True
            )
        )
        points.append(
            ContactPoint(
                party=row,
                kind="phone",
                value=_format_phone(p.phone),
                normalized=p.phone,
                is_primary=True,
                label="mobil",
            )
        )
        for channel, granted, source, when in p.consents:
            consents.append(
                Consent(
                    party=row, channel=channel, granted=granted, source=source, recorded_at=when
                )
            )
        organization_id = org_ids.get(p.organization) if p.organization else None
        if organization_id:
            is_primary = p.is_primary and organization_id not in primary_orgs
            if is_primary:
                primary_orgs.add(organization_id)
            relations.append(
                Relation(
                    person=row,
                    organization_id=organization_id,
                    title=p.title,
                    department=p.department,
                    is_primary=is_primary,
                    created_at=p.created_at,
                )
            )

    ContactPoint.objects.bulk_create(points, batch_size=1000)
    Address.objects.bulk_create(addresses, batch_size=1000)
    Party.tags.through.objects.bulk_create(tag_links, batch_size=1000)
    Consent.objects.bulk_create(consents, batch_size=1000)
    Relation.objects.bulk_create(relations, batch_size=1000)
    for row in [*org_rows, *person_rows]:
        audit.record("create", row, actor=actor, changes={"source": [None, "demo data"]})
    return {
        "organizations": len(org_rows),
        "persons": len(person_rows),
        "contact_points": len(points),
        "addresses": len(addresses),
        "relations": len(relations),
        "consents": len(consents),
    }
