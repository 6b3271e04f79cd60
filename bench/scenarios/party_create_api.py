"""Creating organisations through the API: POST /api/v1/parties (requests/s).

Measured in-process with Django's test Client (the full WSGI stack: middleware, token
authentication, schema validation, service, JSON response), without a network or an HTTP
server in between. Each request carries a name, a valid organisation number and an e-mail.
"""

from __future__ import annotations

import json
import time

from support import Context, orgnr_numbers

N = 300


def run(ctx: Context) -> list[dict]:
    client = ctx.api_client(ctx.user("sales"))
    numbers = orgnr_numbers()
    started = time.perf_counter()
    for i in range(N):
        body = {
            "kind": "organization",
            "name": ctx.organization_name(i),
            "orgnr": next(numbers),
            "roles": ["customer"],
            "contact_points": [{"kind": "email", "value": f"post@api{i}.example"}],
        }
        response = client.post("/api/v1/parties", json.dumps(body), content_type="application/json")
        if response.status_code not in (200, 201):
            raise RuntimeError(
                f"POST /api/v1/parties -> {response.status_code}: {response.content[:500]!r}"
            )
    elapsed = time.perf_counter() - started
    return [
        ctx.record(
            "party_create_api", "POST /api/v1/parties (test Client)", N / elapsed, "requests/s", N
        ),
        ctx.record("party_create_api", "time per request", elapsed / N * 1000, "ms", N),
    ]
