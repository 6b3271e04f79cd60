"""Creating organisations through parties.services.create_organization (parties/s).

Each party has a name, a valid organisation number and an e-mail address, and is created the
way the UI and the API create it: one transaction with validation, the duplicate check,
audit entry and outbox event. Every call is counted, the first ones included.
"""

from __future__ import annotations

import time

from support import Context, orgnr_numbers

N = 500


def run(ctx: Context) -> list[dict]:
    from samspill.parties import services

    actor = ctx.user("sales")
    numbers = orgnr_numbers()
    started = time.perf_counter()
    for i in range(N):
        services.create_organization(
            actor=actor,
            name=ctx.organization_name(i),
            orgnr=next(numbers),
            roles=["customer"],
            contact_points=[{"kind": "email", "value": f"post@bench{i}.example"}],
        )
    elapsed = time.perf_counter() - started
    return [
        ctx.record("party_create_service", "organisations created", N / elapsed, "parties/s", N),
        ctx.record("party_create_service", "time per party", elapsed / N * 1000, "ms", N),
    ]
