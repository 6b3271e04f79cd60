"""Read side of the service dashboard: backlog, SLA attainment, response and resolution
times, satisfaction (CSAT) and tickets created against resolved per day for a period. Every
figure is aggregated in SQL (GROUP BY, COUNT ... FILTER, AVG); medians take the middle row(s)
of an ORDER BY with OFFSET. A fixed number of queries, whatever the number of tickets."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import (
    Avg,
    Count,
    DurationField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
)
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from samspill.helpdesk.models import OPEN_STATUSES, Priority, Satisfaction, Ticket
from samspill.platform.permissions import VIEW, restrict

FIRST_RESPONSE = ExpressionWrapper(
    F("first_response_at") - F("created_at"), output_field=DurationField()
)
RESOLUTION = ExpressionWrapper(F("resolved_at") - F("created_at"), output_field=DurationField())
ONE = Decimal("0.1")


def percent(part: int, whole: int) -> Decimal | None:
    if not whole:
        return None
    return (Decimal(part) * 100 / whole).quantize(ONE, ROUND_HALF_UP)


def hours(value: timedelta | None) -> Decimal | None:
    if value is None:
        return None
    return (Decimal(value.total_seconds()) / 3600).quantize(ONE, ROUND_HALF_UP)


def bounds(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in local time, as aware datetimes."""
    zone = timezone.get_current_timezone()
    return (
        datetime.combine(start, time.min, tzinfo=zone),
        datetime.combine(end + timedelta(days=1), time.min, tzinfo=zone),
    )


def _tickets(user) -> QuerySet[Ticket]:
    # merged tickets are duplicates: their conversation lives on in the kept ticket
    return restrict(Ticket.objects.filter(merged_into__isnull=True), user, VIEW).order_by()


def median(queryset: QuerySet, expression, count: int) -> timedelta | None:
    """The median of `expression` over `count` rows: the middle one or two rows of an ORDER BY
    (one query, at most two rows read)."""
    if not count:
        return None
    values = list(
        queryset.annotate(_value=expression)
        .order_by("_value")
        .values_list("_value", flat=True)[(count - 1) // 2 : count // 2 + 1]
    )
    values = [v for v in values if v is not None]
    if not values:
        return None
    return sum(values, timedelta()) / len(values)


def backlog(user) -> dict[str, Any]:
    """Open tickets now, by status, queue and priority (one GROUP BY)."""
    rows = (
        _tickets(user)
        .filter(status__in=OPEN_STATUSES)
        .values("status", "priority", "queue_id", "queue__name")
        .annotate(count=Count("id"))
    )
    by_status: dict[str, int] = {str(s): 0 for s in OPEN_STATUSES}
    by_priority = {p: 0 for p in Priority.values}
    by_queue: dict[int, dict[str, Any]] = {}
    total = 0
    for row in rows:
        total += row["count"]
        by_status[row["status"]] += row["count"]
        by_priority[row["priority"]] = by_priority.get(row["priority"], 0) + row["count"]
        queue = by_queue.setdefault(
            row["queue_id"], {"queue_id": row["queue_id"], "name": row["queue__name"], "count": 0}
        )
        queue["count"] += row["count"]
    labels = dict(Ticket.Status.choices)
    priorities = dict(Priority.choices)
    return {
        "total": total,
        "by_status": [
            {"status": s, "label": str(labels[s]), "count": n} for s, n in by_status.items()
        ],
        "by_priority": [
            {"priority": p, "label": str(priorities[p]), "count": n} for p, n in by_priority.items()
        ],
        "by_queue": sorted(by_queue.values(), key=lambda q: (-q["count"], q["name"])),
    }


def sla_and_times(user, start: date, end: date) -> dict[str, Any]:
    """First response: tickets created in the period; resolution: tickets resolved in it.
    A target counts once it is decided (met in time, or its due time has passed)."""
    low, high = bounds(start, end)
    now = timezone.now()
    created = _tickets(user).filter(created_at__gte=low, created_at__lt=high)
    resolved = _tickets(user).filter(resolved_at__gte=low, resolved_at__lt=high)
    first = created.aggregate(
        created=Count("id"),
        responded=Count("id", filter=Q(first_response_at__isnull=False)),
        due=Count(
            "id",
            filter=Q(first_response_due__isnull=False)
            & (Q(first_response_at__isnull=False) | Q(first_response_due__lt=now)),
        ),
        met=Count("id", filter=Q(first_response_at__lte=F("first_response_due"))),
        average=Avg(FIRST_RESPONSE, filter=Q(first_response_at__isnull=False)),
    )
    done = resolved.aggregate(
        resolved=Count("id"),
        due=Count("id", filter=Q(resolution_due__isnull=False)),
        met=Count("id", filter=Q(resolved_at__lte=F("resolution_due"))),
        average=Avg(RESOLUTION),
    )
    first_median = median(
        created.filter(first_response_at__isnull=False), FIRST_RESPONSE, first["responded"]
    )
    resolution_median = median(resolved, RESOLUTION, done["resolved"])
    return {
        "created": first["created"],
        "resolved": done["resolved"],
        "first_response": {
            "measured": first["due"],
            "met": first["met"],
            "percent": percent(first["met"], first["due"]),
            "average_hours": hours(first["average"]),
            "median_hours": hours(first_median),
        },
        "resolution": {
            "measured": done["due"],
            "met": done["met"],
            "percent": percent(done["met"], done["due"]),
            "average_hours": hours(done["average"]),
            "median_hours": hours(resolution_median),
        },
    }


def by_queue(user, start: date, end: date) -> list[dict[str, Any]]:
    """Per queue (and its team): tickets created and resolved in the period, SLA met %,
    average times and CSAT (average, answers, response rate). Two GROUP BYs."""
    low, high = bounds(start, end)
    created_in = Q(created_at__gte=low, created_at__lt=high)
    resolved_in = Q(resolved_at__gte=low, resolved_at__lt=high)
    rows = (
        _tickets(user)
        .filter(created_in | resolved_in)
        .values("queue_id", "queue__name", "queue__team__name")
        .annotate(
            n_created=Count("id", filter=created_in),
            n_resolved=Count("id", filter=resolved_in),
            n_first_due=Count(
                "id",
                filter=created_in
                & Q(first_response_due__isnull=False)
                & (Q(first_response_at__isnull=False) | Q(first_response_due__lt=timezone.now())),
            ),
            n_first_met=Count(
                "id", filter=created_in & Q(first_response_at__lte=F("first_response_due"))
            ),
            n_resolution_due=Count("id", filter=resolved_in & Q(resolution_due__isnull=False)),
            n_resolution_met=Count(
                "id", filter=resolved_in & Q(resolved_at__lte=F("resolution_due"))
            ),
            n_first_average=Avg(
                FIRST_RESPONSE, filter=created_in & Q(first_response_at__isnull=False)
            ),
            n_resolution_average=Avg(RESOLUTION, filter=resolved_in),
        )
        .order_by("queue__name")
    )
    csat = {row["ticket__queue_id"]: row for row in csat_rows(user, start, end, "ticket__queue_id")}
    result = []
    for row in rows:
        answers = csat.pop(row["queue_id"], None) or {}
        result.append(_queue_row(dict(row), answers))
    for queue_id, answers in csat.items():  # rated in the period, tickets older
        result.append(
            _queue_row(
                {
                    "queue_id": queue_id,
                    "queue__name": answers["ticket__queue__name"],
                    "queue__team__name": answers["ticket__queue__team__name"],
                },
                answers,
            )
        )
    return result


def _queue_row(row: dict, answers: dict) -> dict[str, Any]:
    return {
        "queue_id": row["queue_id"],
        "queue": row["queue__name"],
        "team": row.get("queue__team__name") or "",
        "created": row.get("n_created", 0),
        "resolved": row.get("n_resolved", 0),
        "first_response_percent": percent(row.get("n_first_met", 0), row.get("n_first_due", 0)),
        "resolution_percent": percent(
            row.get("n_resolution_met", 0), row.get("n_resolution_due", 0)
        ),
        "first_response_hours": hours(row.get("n_first_average")),
        "resolution_hours": hours(row.get("n_resolution_average")),
        "csat_average": _average(answers.get("average")),
        "csat_answers": answers.get("answers", 0),
        "csat_requested": answers.get("requested", 0),
        "csat_response_percent": percent(answers.get("answers", 0), answers.get("requested", 0)),
    }


def _average(value) -> Decimal | None:
    return None if value is None else Decimal(str(value)).quantize(Decimal("0.01"), ROUND_HALF_UP)


def _surveys(user, start: date, end: date) -> QuerySet[Satisfaction]:
    """Surveys asked in the period (a rating given on the portal before the e-mail went out
    counts as asked when it was given)."""
    low, high = bounds(start, end)
    return (
        Satisfaction.objects.annotate(asked=Coalesce("requested_at", "rated_at"))
        .filter(asked__gte=low, asked__lt=high, ticket__in=_tickets(user).values("pk"))
        .order_by()
    )


def csat_rows(user, start: date, end: date, *group: str) -> QuerySet:
    """Surveys asked in the period, the answers to them and their average rating."""
    rows = _surveys(user, start, end)
    if group:
        names = [g.replace("_id", "__name") for g in group] + ["ticket__queue__team__name"]
        rows = rows.values(*group, *names)
    return rows.order_by().annotate(
        requested=Count("id"),
        answers=Count("id", filter=Q(rating__isnull=False)),
        average=Avg("rating"),
    )


def csat_total(user, start: date, end: date) -> dict[str, Any]:
    row = _surveys(user, start, end).aggregate(
        requested=Count("id"),
        answers=Count("id", filter=Q(rating__isnull=False)),
        average=Avg("rating"),
        good=Count("id", filter=Q(rating__gte=4)),
    )
    return {
        "requested": row["requested"],
        "answers": row["answers"],
        "average": _average(row["average"]),
        "response_percent": percent(row["answers"], row["requested"]),
        "satisfied_percent": percent(row["good"], row["answers"]),
    }


def per_day(user, start: date, end: date) -> list[dict[str, Any]]:
    """Tickets created and resolved per local day of the period (two GROUP BYs)."""
    low, high = bounds(start, end)
    zone = timezone.get_current_timezone()
    created = dict(
        _tickets(user)
        .filter(created_at__gte=low, created_at__lt=high)
        .annotate(day=TruncDate("created_at", tzinfo=zone))
        .values("day")
        .annotate(count=Count("id"))
        .values_list("day", "count")
    )
    resolved = dict(
        _tickets(user)
        .filter(resolved_at__gte=low, resolved_at__lt=high)
        .annotate(day=TruncDate("resolved_at", tzinfo=zone))
        .values("day")
        .annotate(count=Count("id"))
        .values_list("day", "count")
    )
    days = []
    day = start
    while day <= end:
        days.append({"day": day, "created": created.get(day, 0), "resolved": resolved.get(day, 0)})
        day += timedelta(days=1)
    return days


MAX_DAYS = 366


def dashboard(user, start: date, end: date) -> dict[str, Any]:
    """Everything the service dashboard shows for [start, end]."""
    return {
        "date_from": start,
        "date_to": end,
        "backlog": backlog(user),
        "sla": sla_and_times(user, start, end),
        "csat": csat_total(user, start, end),
        "queues": by_queue(user, start, end),
        "days": per_day(user, start, end),
    }
