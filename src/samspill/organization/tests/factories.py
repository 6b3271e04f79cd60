import factory

from samspill.organization.models import Company, Department, Membership, Team
from samspill.users.tests.factories import UserFactory


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("id",)

    id = Company.SINGLETON_ID
    legal_name = "Fjordtest AS"
    org_number = "987654325"
    mva_registered = True
    base_currency = "NOK"
    postal_code = "0150"
    postal_city = "Oslo"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    name = factory.Sequence(lambda n: f"Avdeling {n}")
    code = factory.Sequence(lambda n: f"AVD{n}")
    function = Department.Function.SALES
    office = Department.Office.FRONT


class TeamFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Team

    name = factory.Sequence(lambda n: f"Team {n}")
    department = factory.SubFactory(DepartmentFactory)


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    team = factory.SubFactory(TeamFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.MEMBER
