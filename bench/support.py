"""What the benchmark scenarios share: the context handed to `run(ctx)`, timing helpers and
bulk generation of realistic parties (bulk inserts, as an import would write them)."""

from __future__ import annotations

import random
import statistics
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from stdnum.no import orgnr as stdnum_orgnr

FIRST_NAMES = [
    "Ingrid",
    "Lars",
    "Sofie",
    "Ole",
    "Marte",
    "Eirik",
    "Nils",
    "Hanne",
    "Kristin",
    "Per",
    "Astrid",
    "Bjørn",
    "Ida",
    "Jonas",
    "Kari",
    "Magnus",
    "Nora",
    "Sindre",
    "Thea",
    "Håkon",
    "Silje",
    "Anders",
    "Ragnhild",
    "Even",
    "Maren",
    "Torstein",
    "Emilie",
    "Øystein",
    "Live",
    "Sander",
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
]
NAME_WORDS = [
    "Nordlys",
    "Fjord",
    "Fjell",
    "Havbris",
    "Vidde",
    "Bre",
    "Elv",
    "Skog",
    "Kyst",
    "Midnattsol",
    "Polar",
    "Trollheim",
    "Viking",
    "Hav",
    "Lofot",
    "Stryn",
    "Bergen",
    "Tromsø",
    "Vestland",
    "Østland",
    "Sørland",
    "Glitre",
    "Lyng",
    "Rein",
    "Måke",
    "Furu",
    "Bjørk",
    "Sjø",
    "Lysaker",
    "Skagerak",
]
NAME_TRADES = [
    "Handel",
    "Bygg",
    "Transport",
    "Regnskap",
    "Data",
    "Elektro",
    "Rør",
    "Maskin",
    "Eiendom",
    "Fisk",
    "Konsult",
    "Trykk",
    "Verksted",
    "Logistikk",
    "Media",
    "Energi",
    "Mat",
    "Reiser",
    "Helse",
    "Design",
]
LEGAL_FORMS = ("AS", "AS", "AS", "ASA", "ENK", "DA")
CITIES = (
    ("0150", "Oslo"),
    ("5003", "Bergen"),
    ("7011", "Trondheim"),
    ("4006", "Stavanger"),
    ("9008", "Tromsø"),
    ("3015", "Drammen"),
    ("1606", "Fredrikstad"),
    ("4608", "Kristiansand"),
    ("6002", "Ålesund"),
    ("8006", "Bodø"),
)
_ORGNR_WEIGHTS = (3, 2, 7, 6, 5, 4, 3, 2)


def orgnr_numbers(start: int = 81_000_000) -> Iterator[str]:
    """Valid Norwegian organisation numbers (MOD11 check digit), ascending from `start`."""
    base = start
    while True:
        digits = f"{base:08d}"
        check = -sum(w * int(d) for w, d in zip(_ORGNR_WEIGHTS, digits, strict=True)) % 11
        base += 1
        if check == 10:
            continue  # no valid check digit for this base
        number = digits + str(check)
        if stdnum_orgnr.is_valid(number):
            yield number


def percentile(values: list[float], pct: float) -> float:
    """Nearest-rank percentile (pct in 0..100) of a non-empty list."""
    ordered = sorted(values)
    rank = max(1, round(pct / 100 * len(ordered)))
    return ordered[min(rank, len(ordered)) - 1]


@dataclass
class Context:
    """Handed to every scenario's run(ctx). `database` is "sqlite" or "postgresql"."""

    database: str
    seed: int = 2026
    rng: random.Random = field(init=False)

    def __post_init__(self) -> None:
        self.rng = random.Random(self.seed)

    # --- records -----------------------------------------------------------------------

    def record(self, scenario: str, metric: str, value: float, unit: str, n: int) -> dict[str, Any]:
        return {
            "scenario": scenario,
            "database": self.database,
            "metric": metric,
            "value": round(value, 3),
            "unit": unit,
            "n": n,
        }

    def latency_records(self, scenario: str, metric: str, samples_ms: list[float]) -> list[dict]:
        """p50 and p95 of a list of millisecond samples, as two records."""
        n = len(samples_ms)
        return [
            self.record(scenario, f"{metric} p50", statistics.median(samples_ms), "ms", n),
            self.record(scenario, f"{metric} p95", percentile(samples_ms, 95), "ms", n),
        ]

    # --- people ------------------------------------------------------------------------

    def user(self, *roles: str, username: str | None = None):
        """A user holding `roles` (roles are synced from the code first)."""
        from django.contrib.auth.models import Group

        from samspill.users.models import User
        from samspill.users.roles import sync_roles

        sync_roles()
        name = username or "bench-" + "-".join(roles or ("none",))
        user, created = User.objects.get_or_create(
            username=name, defaults={"email": f"{name}@bench.example"}
        )
        if created:
            user.set_unusable_password()
            user.save(update_fields=["password"])
            user.groups.set(Group.objects.filter(name__in=roles))
        return user

    def client(self, user) -> Client:
        """A Django test Client (in-process WSGI, no network) logged in as `user`."""
        client = Client()
        client.force_login(user)
        return client

    def api_client(self, user) -> Client:
        """A Django test Client that sends a personal access token of `user`."""
        from samspill.users.services import create_access_token

        _, raw = create_access_token(user, actor=user, name="bench")
        return Client(HTTP_AUTHORIZATION=f"Bearer {raw}")

    # --- data --------------------------------------------------------------------------

    def organization_name(self, i: int) -> str:
        rng = self.rng
        return f"{rng.choice(NAME_WORDS)} {rng.choice(NAME_TRADES)} {i} {rng.choice(LEGAL_FORMS)}"

    def bulk_parties(self, total: int, *, batch: int = 5_000) -> int:
        """Insert parties until the table holds `total`, with the rows the services would
        write for them: 60 % organisations (orgnr, e-mail, postal address), 40 % persons
        (e-mail, mobile). Bulk inserts in batches; no events; then the planner's statistics are
        refreshed. Returns rows inserted."""
        from samspill.parties.models import Address, ContactPoint, Party

        existing = Party.objects.count()
        missing = total - existing
        if missing <= 0:
            return 0
        rng = self.rng
        numbers = orgnr_numbers(81_000_000 + existing * 3)
        taken = set(Party.objects.exclude(orgnr="").values_list("orgnr", flat=True))
        done = 0
        while done < missing:
            size = min(batch, missing - done)
            parties = []
            for j in range(size):
                i = existing + done + j
                if i % 5 < 3:
                    number = next(numbers)
                    while number in taken:
                        number = next(numbers)
                    taken.add(number)
                    party = Party(
                        kind="organization",
                        name=self.organization_name(i),
                        orgnr=number,
                        is_customer=rng.random() < 0.6,
                        is_supplier=rng.random() < 0.2,
                    )
                else:
                    first, last = rng.choice(FIRST_NAMES), rng.choice(LAST_NAMES)
                    party = Party(
                        kind="person",
                        first_name=first,
                        last_name=last,
                        name=f"{first} {last}",
                        is_prospect=rng.random() < 0.5,
                    )
                parties.append(party)
            # SQLite >= 3.35 and PostgreSQL return the new ids from a bulk insert.
            Party.objects.bulk_create(parties, batch_size=1_000)
            assert all(p.pk for p in parties), "bulk_create returned no primary keys"
            points, addresses = [], []
            for p in parties:
                slug = f"{p.name.split()[0].lower()}{p.pk}"
                email = (
                    f"post@{slug}.example" if p.kind == "organization" else f"{slug}@mail.example"
                )
                points.append(
                    ContactPoint(
                        party_id=p.pk, kind="email", value=email, normalized=email, is_primary=True
                    )
                )
                if p.kind == "person":
                    mobile = f"+47{rng.choice('49')}{p.pk % 10_000_000:07d}"
                    points.append(
                        ContactPoint(
                            party_id=p.pk,
                            kind="phone",
                            value=mobile,
                            normalized=mobile,
                            is_primary=True,
                        )
                    )
                else:
                    postal_code, city = rng.choice(CITIES)
                    addresses.append(
                        Address(
                            party_id=p.pk,
                            kind="postal",
                            line1=f"{rng.choice(NAME_WORDS)}veien {rng.randint(1, 150)}",
                            postal_code=postal_code,
                            city=city,
                            country="NO",
                        )
                    )
            ContactPoint.objects.bulk_create(points, batch_size=2_000)
            Address.objects.bulk_create(addresses, batch_size=2_000)
            done += size
        # What the worker's housekeeping does within the hour on a running system.
        from samspill.platform import dbstats

        dbstats.refresh()
        return done


def timed(fn: Callable[[], Any]) -> float:
    """Milliseconds one call of fn takes."""
    started = time.perf_counter()
    fn()
    return (time.perf_counter() - started) * 1000


@contextmanager
def count_queries() -> Iterator[CaptureQueriesContext]:
    with CaptureQueriesContext(connection) as ctx:
        yield ctx
