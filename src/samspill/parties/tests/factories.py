"""factory-boy factories for the parties domain. They write rows directly (tests only);
tests of behaviour go through the services."""

import factory
from stdnum.no import orgnr as stdnum_orgnr

from samspill.parties.models import Address, Consent, ContactPoint, Party, Relation, Tag


def valid_orgnr(n: int) -> str:
    """A valid organisation number derived from n (skips bases whose check digit is 10)."""
    base = 91_000_000 + n * 7
    while True:
        eight = str(base)
        digit = (-stdnum_orgnr.checksum(eight + "0")) % 11
        if digit < 10 and stdnum_orgnr.is_valid(eight + str(digit)):
            return eight + str(digit)
        base += 1


class TagFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Tag
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Tag {n}")


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    kind = Party.Kind.ORGANIZATION
    name = factory.Sequence(lambda n: f"Firma {n} AS")
    orgnr = factory.Sequence(valid_orgnr)


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Party

    kind = Party.Kind.PERSON
    first_name = factory.Sequence(lambda n: f"Kari{n}")
    last_name = "Nordmann"
    name = factory.LazyAttribute(lambda o: f"{o.first_name} {o.last_name}")


class ContactPointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ContactPoint

    party = factory.SubFactory(PersonFactory)
    kind = ContactPoint.Kind.EMAIL
    value = factory.Sequence(lambda n: f"person{n}@example.no")
    normalized = factory.LazyAttribute(lambda o: o.value.lower())
    is_primary = True


class AddressFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Address

    party = factory.SubFactory(OrganizationFactory)
    kind = Address.Kind.VISITING
    line1 = factory.Sequence(lambda n: f"Storgata {n}")
    postal_code = "0155"
    city = "Oslo"


class RelationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Relation

    person = factory.SubFactory(PersonFactory)
    organization = factory.SubFactory(OrganizationFactory)


class ConsentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Consent

    party = factory.SubFactory(PersonFactory)
    channel = Consent.Channel.EMAIL
    granted = True
    source = "web form"
