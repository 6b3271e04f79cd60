"""Read side of the CRM: selectors used by views, the API, search, key figures and other
domains. Every function that takes a user narrows to what that user may see, and loads the
relations its page shows (a fixed number of queries whatever the number of rows)."""

from __future__ import annotations

import calendar as calendar_module
import operator
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from decimal import ROUND_HALF_UP, Decimal
from functools import reduce

from django.contrib.auth import get_user_model
from django.db.models import (
    Count,
    DecimalField,
    ExpressionWrapper,
    F,
    Q,
    QuerySet,
    Sum,
    Value,
)
from django.db.models.functions import Coalesce, TruncMonth
from django.urls import reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from samspill.crm.models import Activity, CalendarFeed, Lead, Opportunity, ScoreRule, Stage, WebForm
from samspill.parties import queries as party_queries
from samspill.platform.errors import NotFound
from samspill.platform.permissions import VIEW, allowed, restrict
from samspill.platform.registry import KeyFigure, SearchHit

CENT = Decimal("0.01")
BOARD_CARDS_PER_STAGE = 50
BOARD_CLOSED_DAYS = 30
ZERO = Value(Decimal("0"), output_field=DecimalField(max_digits=20, decimal_places=2))


def _get(queryset: QuerySet, pk, message):
    try:
        return queryset.get(pk=pk)
    except (queryset.model.DoesNotExist, ValueError, TypeError) as exc:
        raise NotFound(message) from exc


# --- Leads -----------------------------------------------------------------------------------


def leads(user, action: str = VIEW) -> QuerySet:
    return restrict(Lead.objects.select_related("owner", "web_form", "party"), user, action)


def lead(user, pk) -> Lead:
    return _get(leads(user), pk, _("There is no such lead."))


def lead_duplicates(lead: Lead, limit: int = 10):
    """Parties with the lead's organisation number, email or phone, or its company's name
    (through the parties' duplicate finder)."""
    return party_queries.find_duplicates(
        orgnr=lead.orgnr,
        emails=[lead.email] if lead.email else [],
        phones=[lead.phone] if lead.phone else [],
        name=lead.company_name,
        limit=limit,
    )


def web_forms(user=None) -> QuerySet:
    return restrict(
        WebForm.objects.select_related("default_owner").annotate(lead_count=Count("leads")), user
    )


def web_form(user, pk) -> WebForm:
    return _get(web_forms(user), pk, _("There is no such web form."))


def score_rules(user=None) -> QuerySet:
    return restrict(ScoreRule.objects.order_by("id"), user)


def score_rule(user, pk) -> ScoreRule:
    return _get(score_rules(user), pk, _("There is no such rule."))


# --- Pipeline --------------------------------------------------------------------------------


def stages(user=None) -> QuerySet:
    return restrict(Stage.objects.order_by("position", "id"), user)


def stage(user, pk) -> Stage:
    return _get(stages(user), pk, _("There is no such stage."))


def weighted_expression():
    return ExpressionWrapper(
        F("expected_revenue") * F("stage__probability") / Value(Decimal("100")),
        output_field=DecimalField(max_digits=20, decimal_places=4),
    )


def opportunities(user, action: str = VIEW) -> QuerySet:
    return restrict(
        Opportunity.objects.select_related("party", "stage", "owner", "team", "contact"),
        user,
        action,
    )


def opportunity(user, pk) -> Opportunity:
    return _get(opportunities(user), pk, _("There is no such opportunity."))


@dataclass
class Column:
    stage: Stage
    cards: list[Opportunity] = field(default_factory=list)
    count: int = 0
    total: Decimal = Decimal("0.00")

    @property
    def more(self) -> int:
        return max(self.count - len(self.cards), 0)

    @property
    def weighted(self) -> Decimal:
        return (self.total * self.stage.probability / 100).quantize(CENT, ROUND_HALF_UP)


def board(
    user, *, owner=None, team=None, q: str = "", per_stage: int = BOARD_CARDS_PER_STAGE
) -> list[Column]:
    """The kanban board: one column per stage with its count, total value and the first
    cards by close date. Won and lost columns show what closed in the last 30 days. Three
    queries whatever the number of opportunities: stages, counts and sums, cards."""
    columns = [Column(stage=s) for s in stages()]
    by_stage = {c.stage.pk: c for c in columns}
    since = timezone.now() - timedelta(days=BOARD_CLOSED_DAYS)
    rows = restrict(Opportunity.objects.all(), user).filter(
        Q(status=Opportunity.Status.OPEN) | Q(closed_at__gte=since)
    )
    if owner:
        rows = rows.filter(owner_id=owner)
    if team:
        rows = rows.filter(team_id=team)
    if q:
        rows = rows.filter(Q(name__icontains=q) | Q(party__name__icontains=q))
    for row in (
        rows.values("stage_id").annotate(n=Count("id"), total=Sum("expected_revenue")).order_by()
    ):
        column = by_stage.get(row["stage_id"])
        if column is not None:
            column.count = row["n"]
            column.total = (row["total"] or Decimal("0")).quantize(CENT)
    # The first cards of each stage: one indexed subquery per stage (stage, close date, id),
    # OR-ed into one query. Cheaper than ranking every row with a window function.
    firsts = [
        Q(
            pk__in=rows.filter(stage=column.stage)
            .order_by("close_date", "id")
            .values("pk")[:per_stage]
        )
        for column in columns
    ]
    ranked = (
        rows.filter(reduce(operator.or_, firsts))
        .select_related("party", "owner")
        .order_by("stage_id", "close_date", "id")
        if firsts
        else rows.none()
    )
    for card in ranked:
        column = by_stage.get(card.stage_id)
        if column is not None:
            column.cards.append(card)
    return columns


@dataclass
class ForecastRow:
    key: object
    label: str
    count: int
    total: Decimal
    weighted: Decimal


FORECAST_GROUPS = ("month", "owner", "team")


def forecast(
    user,
    *,
    group: str = "month",
    start: date | None = None,
    end: date | None = None,
    owner=None,
    team=None,
) -> list[ForecastRow]:
    """The weighted pipeline of open opportunities (expected revenue × stage probability),
    summed in SQL by close month, owner or team. Overdue close dates count in the first
    month."""
    rows = restrict(Opportunity.objects.all(), user).filter(status=Opportunity.Status.OPEN)
    if start:
        rows = rows.filter(close_date__gte=start)
    if end:
        rows = rows.filter(close_date__lte=end)
    if owner:
        rows = rows.filter(owner_id=owner)
    if team:
        rows = rows.filter(team_id=team)
    if group == "owner":
        keys = ["owner_id", "owner__username", "owner__first_name", "owner__last_name"]
    elif group == "team":
        keys = ["team_id", "team__name"]
    else:
        rows = rows.annotate(month=TruncMonth("close_date"))
        keys = ["month"]
    data = (
        rows.values(*keys)
        .annotate(
            n=Count("id"),
            total=Coalesce(Sum("expected_revenue"), ZERO),
            weighted=Coalesce(Sum(weighted_expression()), ZERO),
        )
        .order_by(*keys[:1])
    )
    result = []
    for row in data:
        if group == "owner":
            name = f"{row['owner__first_name'] or ''} {row['owner__last_name'] or ''}".strip()
            label = name or row["owner__username"] or _("No owner")
            key = row["owner_id"]
        elif group == "team":
            label = row["team__name"] or _("No team")
            key = row["team_id"]
        else:
            month = row["month"]
            if isinstance(month, datetime):
                month = month.date()
            key = month
            label = date_format(month, "YEAR_MONTH_FORMAT") if month else ""
        result.append(
            ForecastRow(
                key=key,
                label=label,
                count=row["n"],
                total=Decimal(row["total"]).quantize(CENT, ROUND_HALF_UP),
                weighted=Decimal(row["weighted"]).quantize(CENT, ROUND_HALF_UP),
            )
        )
    if group != "month":
        result.sort(key=lambda r: -r.weighted)
    return result


# --- Sales dashboard ------------------------------------------------------------------------


def _local_range(start: date, end: date) -> tuple[datetime, datetime]:
    """[start 00:00, the day after end 00:00) in the local time zone, for timestamp columns."""
    tz = timezone.get_current_timezone()
    return (
        datetime.combine(start, datetime.min.time(), tzinfo=tz),
        datetime.combine(end + timedelta(days=1), datetime.min.time(), tzinfo=tz),
    )


@dataclass
class StageFigure:
    stage_id: int
    name: str
    probability: int
    count: int
    value: Decimal
    weighted: Decimal


def pipeline_by_stage(user) -> list[StageFigure]:
    """Open opportunities per open stage (count, expected and weighted revenue): one GROUP BY
    and the stages."""
    sums = {
        row["stage_id"]: row
        for row in restrict(Opportunity.objects.all(), user)
        .filter(status=Opportunity.Status.OPEN)
        .values("stage_id")
        .annotate(n=Count("id"), value=Sum("expected_revenue"), weighted=Sum(weighted_expression()))
        .order_by()
    }
    result = []
    for stage in stages().filter(is_won=False, is_lost=False):
        row = sums.get(stage.pk, {})
        result.append(
            StageFigure(
                stage_id=stage.pk,
                name=stage.name,
                probability=stage.probability,
                count=row.get("n", 0),
                value=Decimal(row.get("value") or 0).quantize(CENT, ROUND_HALF_UP),
                weighted=Decimal(row.get("weighted") or 0).quantize(CENT, ROUND_HALF_UP),
            )
        )
    return result


def closed_between(user, start: date, end: date) -> dict:
    """Opportunities won and lost with a close time in [start, end]: counts, values, the win
    rate (won / closed) and the most given lost reasons. Two queries."""
    since, until = _local_range(start, end)
    rows = restrict(Opportunity.objects.all(), user).filter(
        closed_at__gte=since, closed_at__lt=until
    )
    figures = rows.aggregate(
        won=Count("id", filter=Q(status=Opportunity.Status.WON)),
        won_value=Sum("expected_revenue", filter=Q(status=Opportunity.Status.WON)),
        lost=Count("id", filter=Q(status=Opportunity.Status.LOST)),
        lost_value=Sum("expected_revenue", filter=Q(status=Opportunity.Status.LOST)),
    )
    closed = figures["won"] + figures["lost"]
    reasons = list(
        rows.filter(status=Opportunity.Status.LOST)
        .exclude(reason="")
        .values("reason")
        .annotate(n=Count("id"))
        .order_by("-n", "reason")[:5]
    )
    return {
        "won": figures["won"],
        "won_value": Decimal(figures["won_value"] or 0).quantize(CENT),
        "lost": figures["lost"],
        "lost_value": Decimal(figures["lost_value"] or 0).quantize(CENT),
        "win_rate": percent(figures["won"], closed),
        "lost_reasons": [(r["reason"], r["n"]) for r in reasons],
    }


def percent(part: int, whole: int) -> Decimal | None:
    """part / whole in per cent with one decimal, None when there is nothing to divide."""
    if not whole:
        return None
    return (Decimal(part) * 100 / Decimal(whole)).quantize(Decimal("0.1"), ROUND_HALF_UP)


def lead_conversion(user, start: date, end: date) -> dict:
    """The leads created in [start, end] and how many of them were converted into an
    opportunity (a cohort: a lead created in the range counts however late it converted)."""
    since, until = _local_range(start, end)
    figures = (
        restrict(Lead.objects.all(), user)
        .filter(created_at__gte=since, created_at__lt=until)
        .aggregate(leads=Count("id"), converted=Count("id", filter=Q(status=Lead.Status.CONVERTED)))
    )
    return {**figures, "rate": percent(figures["converted"], figures["leads"])}


def opportunities_created(user, start: date, end: date) -> QuerySet:
    """The opportunities created in [start, end] (the second step of the sales funnel)."""
    since, until = _local_range(start, end)
    return restrict(Opportunity.objects.all(), user).filter(
        created_at__gte=since, created_at__lt=until
    )


# --- Activities ------------------------------------------------------------------------------


def activities(user, action: str = VIEW) -> QuerySet:
    return restrict(
        Activity.objects.select_related("owner", "party", "opportunity", "lead"), user, action
    )


def activity(user, pk) -> Activity:
    return _get(activities(user), pk, _("There is no such activity."))


def my_activities(user, *, include_done: bool = False) -> QuerySet:
    """The user's activities, open ones by due time (so overdue come first), then done."""
    rows = activities(user).filter(owner=user)
    if not include_done:
        rows = rows.filter(completed_at__isnull=True)
    return rows.order_by(F("completed_at").desc(nulls_first=True), "due_at", "id")


def activities_between(user, start: datetime, end: datetime, *, owner=None) -> QuerySet:
    rows = activities(user).filter(due_at__gte=start, due_at__lt=end)
    if owner is not None:
        rows = rows.filter(owner=owner)
    return rows.order_by("due_at", "id")


def month_grid(year: int, month: int) -> list[list[date]]:
    """The weeks (Monday first) that show a month."""
    return calendar_module.Calendar(firstweekday=0).monthdatescalendar(year, month)


def calendar_days(user, days: list[date], *, owner=None) -> dict[date, list[Activity]]:
    """The activities of each day shown (one query)."""
    tz = timezone.get_current_timezone()
    start = datetime.combine(days[0], datetime.min.time(), tzinfo=tz)
    end = datetime.combine(days[-1] + timedelta(days=1), datetime.min.time(), tzinfo=tz)
    result: dict[date, list[Activity]] = {d: [] for d in days}
    for row in activities_between(user, start, end, owner=owner):
        result.setdefault(timezone.localtime(row.due_at).date(), []).append(row)
    return result


def feed_owner(token: str):
    """The active user whose calendar feed has this secret token, or None."""
    feed = (
        CalendarFeed.objects.select_related("user")
        .filter(token=token or "", user__is_active=True)
        .first()
    )
    return feed.user if feed else None


def feed_activities(owner, *, days_back: int = 90, days_ahead: int = 365) -> QuerySet:
    now = timezone.now()
    return (
        Activity.objects.filter(
            owner=owner,
            due_at__gte=now - timedelta(days=days_back),
            due_at__lte=now + timedelta(days=days_ahead),
        )
        .select_related("party", "opportunity")
        .order_by("due_at", "id")
    )


def owners() -> QuerySet:
    return (
        get_user_model()
        .objects.filter(is_active=True)
        .order_by("first_name", "last_name", "username")
    )


# --- Party 360 and search ----------------------------------------------------------------------


def party_figures(party) -> dict:
    """Open opportunities (count, value) and open activities of a party, in two queries."""
    opps = Opportunity.objects.filter(party=party, status=Opportunity.Status.OPEN).aggregate(
        n=Count("id"), total=Coalesce(Sum("expected_revenue"), ZERO)
    )
    open_activities = Activity.objects.filter(party=party, completed_at__isnull=True).count()
    return {
        "open_opportunities": opps["n"],
        "open_value": Decimal(opps["total"]).quantize(CENT),
        "open_activities": open_activities,
    }


def party_opportunities(user, party) -> QuerySet:
    return opportunities(user).filter(party=party).order_by("-status", "close_date")


def party_activities(user, party, limit: int = 10) -> list[Activity]:
    return list(
        activities(user).filter(party=party, completed_at__isnull=True).order_by("due_at")[:limit]
    )


def key_figures(user, party) -> list[KeyFigure]:
    from samspill.crm.templatetags.crm import nok

    figures = party_figures(party)
    result = []
    if allowed(user, "crm.view_opportunity"):
        url = reverse("crm:opportunity_list") + f"?party={party.pk}&status=open"
        result += [
            KeyFigure(_("Open opportunities"), figures["open_opportunities"], url),
            KeyFigure(_("Open pipeline value"), nok(figures["open_value"]), url),
        ]
    if allowed(user, "crm.view_activity"):
        url = reverse("crm:activity_list") + f"?party={party.pk}&state=open"
        result.append(KeyFigure(_("Open activities"), figures["open_activities"], url))
    return result


def search(user, query: str, limit: int) -> list[SearchHit]:
    hits: list[SearchHit] = []
    if allowed(user, "crm.view_lead"):
        for row in (
            leads(user)
            .filter(
                Q(name__icontains=query)
                | Q(company_name__icontains=query)
                | Q(email__icontains=query)
            )
            .order_by("-created_at")[:limit]
        ):
            hits.append(
                SearchHit(
                    kind=pgettext_lazy("sales lead", "Lead"),
                    title=str(row),
                    url=row.get_absolute_url(),
                    subtitle=" · ".join(x for x in (str(row.get_status_display()), row.email) if x),
                )
            )
    if allowed(user, "crm.view_opportunity"):
        for row in (
            opportunities(user)
            .filter(Q(name__icontains=query) | Q(party__name__icontains=query))
            .order_by("close_date")[: max(limit - len(hits), 0) or limit]
        ):
            hits.append(
                SearchHit(
                    kind=_("Opportunity"),
                    title=row.name,
                    url=row.get_absolute_url(),
                    subtitle=f"{row.party.display_name} · {row.stage.name}",
                )
            )
    return hits[: limit * 2]
