"""Stages, opportunities, moves between stages, won/lost, the board and the forecast."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from samspill.crm import queries, services
from samspill.crm.models import Opportunity, Stage
from samspill.crm.tests.factories import OpportunityFactory
from samspill.organization.tests.factories import TeamFactory
from samspill.parties.tests.factories import OrganizationFactory
from samspill.platform.errors import Conflict, PermissionDenied, ValidationFailed

pytestmark = pytest.mark.django_db


@pytest.fixture
def english():
    from django.utils import translation

    with translation.override("en"):
        yield


def stage(name_or_flag):
    if name_or_flag == "won":
        return Stage.objects.get(is_won=True)
    if name_or_flag == "lost":
        return Stage.objects.get(is_lost=True)
    return Stage.objects.filter(is_won=False, is_lost=False).order_by("position")[name_or_flag]


def test_stages_are_seeded_in_order_with_won_and_lost():
    rows = list(Stage.objects.order_by("position"))
    assert len(rows) == 6
    assert [s.probability for s in rows] == [10, 25, 50, 75, 100, 0]
    assert rows[-2].is_won and rows[-1].is_lost


def test_create_opportunity_rounds_money_and_starts_in_first_open_stage(sales, events):
    party = OrganizationFactory()
    opportunity = services.create_opportunity(
        actor=sales,
        name="Nytt anlegg",
        party=party.pk,
        expected_revenue="1 234,565",
        close_date=date(2026, 12, 31),
        owner=sales,
    )
    assert opportunity.expected_revenue == Decimal("1234.57")
    assert opportunity.stage == stage(0) and opportunity.status == "open"
    assert events("crm.") == ["crm.opportunity.created"]


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"expected_revenue": "-5"}, "expected_revenue"),
        ({"expected_revenue": "abc"}, "expected_revenue"),
        ({"party": 999999}, "party"),
        ({"name": ""}, "name"),
        ({"team": 999999}, "team"),
    ],
)
def test_bad_opportunity_input_writes_nothing(sales, changes, field):
    data = {
        "name": "X",
        "party": OrganizationFactory().pk,
        "close_date": date(2026, 12, 1),
    } | changes
    with pytest.raises(ValidationFailed) as caught:
        services.create_opportunity(actor=sales, **data)
    assert field in caught.value.errors
    assert Opportunity.objects.count() == 0


def test_move_through_stages_to_won(sales, events, audit_entries):
    opportunity = OpportunityFactory(owner=sales)
    services.move_opportunity(opportunity, actor=sales, stage=stage(2).pk)
    opportunity = services.move_opportunity(
        opportunity, actor=sales, stage=stage("won"), reason="Best pris"
    )
    assert (opportunity.status, opportunity.reason) == ("won", "Best pris")
    assert opportunity.closed_at is not None
    assert events("crm.") == [
        "crm.opportunity.stage_changed",
        "crm.opportunity.stage_changed",
        "crm.opportunity.won",
    ]
    assert [e.action for e in audit_entries(opportunity)] == ["update", "update"]
    # reopening moves it back to open
    opportunity = services.move_opportunity(opportunity, actor=sales, stage=stage(1))
    assert (opportunity.status, opportunity.closed_at, opportunity.reason) == ("open", None, "")


def test_lost_needs_a_reason(sales, events):
    opportunity = OpportunityFactory()
    with pytest.raises(ValidationFailed) as caught:
        services.mark_lost(opportunity, actor=sales, reason="")
    assert caught.value.code == "reason_required"
    opportunity.refresh_from_db()
    assert opportunity.status == "open"
    assert events("crm.") == []
    services.mark_lost(opportunity, actor=sales, reason="For dyrt")
    assert events("crm.") == ["crm.opportunity.stage_changed", "crm.opportunity.lost"]


def test_management_may_look_but_not_move(make_user):
    boss = make_user("management")
    opportunity = OpportunityFactory()
    assert queries.opportunity(boss, opportunity.pk) == opportunity
    with pytest.raises(PermissionDenied):
        services.move_opportunity(opportunity, actor=boss, stage=stage(1))


def test_stage_rules():
    with pytest.raises(ValidationFailed):
        services.create_stage(actor=None, name="Vunnet 2", probability=80, is_won=True)
    with pytest.raises(ValidationFailed):
        services.create_stage(actor=None, name="Begge", probability=0, is_won=True, is_lost=True)
    new = services.create_stage(actor=None, name="Demo", probability=40)
    assert new.position > stage("lost").position
    OpportunityFactory(stage=new)
    with pytest.raises(Conflict):
        services.delete_stage(new, actor=None)
    with pytest.raises(Conflict):
        services.update_stage(new, actor=None, is_lost=True, probability=0)
    with pytest.raises(Conflict):
        services.delete_stage(stage("won"), actor=None)
    services.update_stage(new, actor=None, name="Demo hos kunde")
    assert Stage.objects.get(pk=new.pk).name == "Demo hos kunde"


def test_board_counts_sums_and_caps_cards_in_three_queries(sales, django_assert_max_num_queries):
    first = stage(0)
    OpportunityFactory.create_batch(7, stage=first, expected_revenue=Decimal("100.00"))
    OpportunityFactory(stage=stage(1), expected_revenue=Decimal("50.00"))
    lost_long_ago = OpportunityFactory(stage=stage("lost"), status="lost")
    Opportunity.objects.filter(pk=lost_long_ago.pk).update(
        closed_at=timezone.now() - timedelta(days=90)
    )
    queries.board(sales)  # the user's permissions are loaded once and cached on the user
    with django_assert_max_num_queries(3):
        columns = queries.board(sales, per_stage=5)
        cards = [len(c.cards) for c in columns]
    by_stage = {c.stage.pk: c for c in columns}
    assert cards[0] == 5 and by_stage[first.pk].count == 7 and by_stage[first.pk].more == 2
    assert by_stage[first.pk].total == Decimal("700.00")
    assert by_stage[first.pk].weighted == Decimal("70.00")
    assert by_stage[stage("lost").pk].count == 0  # closed more than 30 days ago


@pytest.mark.usefixtures("english")
def test_forecast_weights_by_probability_and_groups(sales):
    team = TeamFactory(name="Salg Øst")
    month = date(2027, 3, 10)
    OpportunityFactory(
        stage=stage(0), expected_revenue=Decimal("1000"), close_date=month, owner=sales, team=team
    )
    OpportunityFactory(
        stage=stage(2), expected_revenue=Decimal("2000"), close_date=month + timedelta(days=5)
    )
    OpportunityFactory(
        stage=stage(3), expected_revenue=Decimal("400"), close_date=date(2027, 4, 2), owner=sales
    )
    OpportunityFactory(
        stage=stage("won"), status="won", expected_revenue=Decimal("9999"), close_date=month
    )
    by_month = queries.forecast(sales, group="month")
    assert [(r.label, r.count, r.total, r.weighted) for r in by_month] == [
        ("March 2027", 2, Decimal("3000.00"), Decimal("1100.00")),
        ("April 2027", 1, Decimal("400.00"), Decimal("300.00")),
    ]
    by_owner = {r.label: r.weighted for r in queries.forecast(sales, group="owner")}
    assert by_owner == {"Siri Salg": Decimal("400.00"), "No owner": Decimal("1000.00")}
    by_team = {r.label: r.count for r in queries.forecast(sales, group="team")}
    assert by_team == {"Salg Øst": 1, "No team": 2}


def test_an_emptied_pipeline_gets_the_default_stages_back(sales):
    Stage.objects.all().delete()
    opportunity = services.create_opportunity(
        actor=sales, name="X", party=OrganizationFactory().pk, close_date=date(2027, 1, 1)
    )
    assert Stage.objects.count() == 6
    assert opportunity.stage.position == 10 and opportunity.stage.probability == 10
    assert services.ensure_default_stages() == 0
