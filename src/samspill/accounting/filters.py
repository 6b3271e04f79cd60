import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from samspill.accounting.models import (
    Account,
    BankStatement,
    Invoice,
    Journal,
    JournalEntry,
    Payment,
)
from samspill.platform.filters import yes_no_filter


def _date():
    return forms.DateInput(attrs={"type": "date"})


class AccountFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.ChoiceFilter(
        label=_("Type"), choices=Account.Kind.choices, empty_label=_("All types")
    )
    active = yes_no_filter(_("Active"))

    class Meta:
        model = Account
        fields = ["q", "kind", "active"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(number__startswith=value) | Q(name__icontains=value))


class EntryFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    journal = django_filters.ModelChoiceFilter(
        label=_("Journal"), queryset=Journal.objects.all(), empty_label=_("All journals")
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=JournalEntry.State.choices, empty_label=_("All")
    )
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=_date()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="date", lookup_expr="lte", widget=_date()
    )
    party = django_filters.NumberFilter(label=_("Party no."), method="by_party")

    class Meta:
        model = JournalEntry
        fields = ["q", "journal", "state", "date_from", "date_to", "party"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        query = Q(description__icontains=value)
        if value.isdigit():
            query |= Q(number=int(value))
        return queryset.filter(query)

    def by_party(self, queryset, name, value):
        return queryset.filter(
            pk__in=JournalEntry.objects.filter(lines__party_id=value).values("pk")
        )


class InvoiceFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Search"), method="search", widget=forms.TextInput(attrs={"type": "search"})
    )
    state = django_filters.ChoiceFilter(
        label=_("State"), choices=Invoice.State.choices, empty_label=_("All")
    )
    kind = django_filters.ChoiceFilter(
        label=_("Kind"), choices=Invoice.Kind.choices, empty_label=_("All")
    )
    party = django_filters.NumberFilter(label=_("Party no."), field_name="party_id")
    overdue = django_filters.ChoiceFilter(
        label=_("Overdue"),
        choices=[("true", _("Overdue only")), ("false", _("Not overdue"))],
        empty_label=_("All"),
        method="by_overdue",
    )

    class Meta:
        model = Invoice
        fields = ["q", "state", "kind", "party", "overdue"]

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(
            Q(number__startswith=value) | Q(kid=value) | Q(party__name__icontains=value)
        )

    def by_overdue(self, queryset, name, value):
        from samspill.accounting.queries.invoices import overdue_q

        if value not in ("true", "false"):
            return queryset
        return queryset.filter(overdue_q()) if value == "true" else queryset.exclude(overdue_q())


class PaymentFilter(django_filters.FilterSet):
    party = django_filters.NumberFilter(label=_("Party no."), field_name="party_id")
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="date", lookup_expr="gte", widget=_date()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="date", lookup_expr="lte", widget=_date()
    )

    class Meta:
        model = Payment
        fields = ["party", "date_from", "date_to"]


class BankStatementFilter(django_filters.FilterSet):
    statement_id = django_filters.CharFilter(label=_("Statement"), lookup_expr="icontains")
    date_from = django_filters.DateFilter(
        label=_("From"), field_name="period_end", lookup_expr="gte", widget=_date()
    )
    date_to = django_filters.DateFilter(
        label=_("To"), field_name="period_end", lookup_expr="lte", widget=_date()
    )

    class Meta:
        model = BankStatement
        fields = ["statement_id", "date_from", "date_to"]
