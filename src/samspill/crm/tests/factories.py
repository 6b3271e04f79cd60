"""factory-boy factories for the CRM. They write rows directly (tests only); tests of
behaviour go through the services."""

from datetime import timedelta
from decimal import Decimal

import factory
from django.utils import timezone

from samspill.crm.models import Activity, Lead, Opportunity, ScoreRule, Stage, WebForm
from samspill.parties.tests.factories import OrganizationFactory
from samspill.users.tests.factories import UserFactory


class WebFormFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = WebForm

    name = factory.Sequence(lambda n: f"Nettside {n}")


class LeadFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Lead

    name = factory.Sequence(lambda n: f"Ola Nordmann{n}")
    company_name = factory.Sequence(lambda n: f"Lead Firma {n} AS")
    email = factory.Sequence(lambda n: f"ola{n}@lead.example")


class ScoreRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ScoreRule

    field = ScoreRule.Field.COMPANY_NAME
    operator = ScoreRule.Operator.IS_SET
    points = 10


def open_stage() -> Stage:
    return Stage.objects.filter(is_won=False, is_lost=False).order_by("position").first()


class OpportunityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Opportunity

    name = factory.Sequence(lambda n: f"Salg {n}")
    party = factory.SubFactory(OrganizationFactory)
    stage = factory.LazyFunction(open_stage)
    expected_revenue = Decimal("10000.00")
    close_date = factory.LazyFunction(lambda: timezone.localdate() + timedelta(days=20))


class ActivityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Activity

    kind = Activity.Kind.CALL
    subject = factory.Sequence(lambda n: f"Ring kunde {n}")
    due_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=1))
    owner = factory.SubFactory(UserFactory)
    party = factory.SubFactory(OrganizationFactory)
