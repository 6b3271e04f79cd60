"""Pages of automation: the rule builder and rule pages with their run log, webhooks with
their delivery log, and inbound messages. Thin adapters over automation.services."""

from __future__ import annotations

import json

from django.contrib import messages
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from samspill.automation import conditions, definitions, forms, queries, services
from samspill.automation.filters import (
    DeliveryFilter,
    InboundFilter,
    RuleFilter,
    RuleRunFilter,
    WebhookFilter,
)
from samspill.automation.tables import (
    DeliveryTable,
    InboundTable,
    RuleRunTable,
    RuleTable,
    WebhookTable,
    event_label,
)
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from

RECENT = 20


def found(query, *args):
    """Run a query that raises NotFound; a missing record is a 404 page."""
    try:
        return query(*args)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


# --- Rules -----------------------------------------------------------------------------------


class RuleListPage(ListPage):
    permission = "automation.view_rule"
    table_class = RuleTable
    filterset_class = RuleFilter
    title = gettext_lazy("Automation rules")
    empty_text = gettext_lazy(
        "No rules yet. A rule says: when something happens, and it matches your conditions, "
        "do these actions — for example, e-mail the sales team when a customer is created."
    )
    create_url = "automation:rule_create"  # type: ignore[assignment]
    create_permission = "automation.add_rule"
    export_name = "automation-rules"
    template_name = "automation/rule_list.html"

    def get_queryset(self):
        return queries.rules()


class RuleRunListPage(ListPage):
    permission = "automation.view_rulerun"
    table_class = RuleRunTable
    filterset_class = RuleRunFilter
    title = gettext_lazy("Rule runs")
    empty_text = gettext_lazy("No rule has run yet. Rules run when their event happens.")
    export_name = "rule-runs"

    def get_queryset(self):
        return queries.runs()


class RuleBuilderMixin(PermissionRequiredMixin):
    template_name = "automation/rule_form.html"

    def show(self, builder, *, rule=None, status=200):
        return render(
            self.request,
            self.template_name,
            {
                "title": _("Edit %(rule)s") % {"rule": rule} if rule else _("New automation rule"),
                "builder": builder,
                "subject": rule,
                "suggestions": conditions.field_suggestions(builder.event_type),
            },
            status=status,
        )


class RuleCreateView(RuleBuilderMixin, View):
    permission = "automation.add_rule"

    def get(self, request):
        return self.show(forms.RuleBuilder())

    def post(self, request):
        builder = forms.RuleBuilder(request.POST)
        if builder.is_valid():
            values = builder.values()
            try:
                rule = services.create_rule(actor=request.user, **values)
            except DomainError as exc:
                builder.show_errors(exc)
            else:
                messages.success(request, _("The rule “%(name)s” was created.") % {"name": rule})
                return redirect("automation:rule_detail", pk=rule.pk)
        return self.show(builder, status=422)


class RuleEditView(RuleBuilderMixin, View):
    permission = "automation.change_rule"

    def get(self, request, pk):
        rule = found(queries.rule, pk, request.user)
        return self.show(forms.RuleBuilder(rule=rule), rule=rule)

    def post(self, request, pk):
        rule = found(queries.rule, pk, request.user)
        builder = forms.RuleBuilder(request.POST, rule=rule)
        if builder.is_valid():
            try:
                services.update_rule(rule, actor=request.user, **builder.values())
            except DomainError as exc:
                builder.show_errors(exc)
            else:
                messages.success(request, _("The rule “%(name)s” was saved.") % {"name": rule})
                return redirect("automation:rule_detail", pk=rule.pk)
        return self.show(builder, rule=rule, status=422)


class RuleDetailView(PermissionRequiredMixin, View):
    permission = "automation.view_rule"

    def get(self, request, pk):
        rule = found(queries.rule, pk, request.user)
        audit.record_read(rule, actor=request.user)
        return render(request, "automation/rule_detail.html", self.context(rule))

    def context(self, rule, **extra):
        user = self.request.user
        can_view_runs = allowed(user, "automation.view_rulerun")
        runs = None
        if can_view_runs:
            runs = RuleRunTable(
                queries.runs(user, rule_id=rule.pk)[:RECENT],
                request=self.request,
                exclude=("rule",),
                orderable=False,
            )
        context = {
            "title": str(rule),
            "rule": rule,
            "event_label": event_label(rule.event_type),
            "conditions": [conditions.describe(c) for c in rule.conditions],
            "steps": [definitions.describe_step(s) for s in rule.actions],
            "runs": runs,
            "can_change": allowed(user, "automation.change_rule"),
            "can_delete": allowed(user, "automation.delete_rule"),
            "test_form": forms.TestRuleForm(events=queries.recent_events(rule.event_type)),
            "history": audit.history(rule)[:20],
            "entries": timeline("automation_rule", rule.pk, limit=20),
        }
        context.update(extra)
        return context


class RuleSwitchView(PermissionRequiredMixin, View):
    permission = "automation.change_rule"

    def post(self, request, pk):
        rule = found(queries.rule, pk, request.user)
        active = request.POST.get("active") == "1"
        try:
            services.set_rule_active(rule, active, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            text = _("The rule is switched on.") if active else _("The rule is switched off.")
            messages.success(request, text)
        return redirect("automation:rule_detail", pk=rule.pk)


class RuleTestView(PermissionRequiredMixin, View):
    permission = "automation.change_rule"

    def post(self, request, pk):
        rule = found(queries.rule, pk, request.user)
        form = forms.TestRuleForm(request.POST, events=queries.recent_events(rule.event_type))
        if not form.is_valid():
            messages.error(request, _("Choose one of the recent events."))
            return redirect("automation:rule_detail", pk=rule.pk)
        try:
            run = services.dry_run_rule(
                rule, queries.event(form.cleaned_data["event"]), actor=request.user
            )
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            if run.outcome == run.Outcome.MATCHED:
                messages.success(
                    request, _("The conditions hold for this event: the actions would run.")
                )
            elif run.outcome == run.Outcome.SKIPPED:
                messages.info(
                    request, _("The conditions do not hold for this event: nothing would run.")
                )
            else:
                messages.error(request, run.error or run.get_outcome_display())
        return redirect("automation:rule_detail", pk=rule.pk)


class RuleDeleteView(PermissionRequiredMixin, View):
    permission = "automation.delete_rule"

    def get(self, request, pk):
        rule = found(queries.rule, pk, request.user)
        return render(
            request,
            "automation/confirm_delete.html",
            {
                "title": _("Delete %(rule)s") % {"rule": rule},
                "question": _("Delete the automation rule “%(name)s”?") % {"name": rule},
                "consequence": _(
                    "It stops running at once, and its run log is deleted with it. To stop it "
                    "only for a while, switch it off instead."
                ),
                "cancel_url": rule_url(rule),
            },
        )

    def post(self, request, pk):
        rule = found(queries.rule, pk, request.user)
        try:
            services.delete_rule(rule, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("automation:rule_detail", pk=rule.pk)
        messages.success(request, _("The rule “%(name)s” was deleted.") % {"name": rule})
        return redirect("automation:rule_list")


def rule_url(rule) -> str:
    return reverse("automation:rule_detail", args=[rule.pk])


# --- Rule builder fragments (htmx) ------------------------------------------------------------


def _count(request, prefix: str) -> int:
    raw = request.GET.get(f"{prefix}-TOTAL_FORMS", "0")
    return min(int(raw), 100) if raw.isdigit() else 0


class ConditionRowView(PermissionRequiredMixin, View):
    """A new, empty condition row, and the formset's new row count (out of band)."""

    permission = "automation.add_rule"

    def get(self, request):
        index = _count(request, "cond")
        form = forms.ConditionForm(prefix=f"cond-{index}")
        return render(
            request,
            "automation/_condition_row.html",
            {"form": form, "total": index + 1, "oob": True},
        )


class ActionRowView(PermissionRequiredMixin, View):
    """An action row: a new one (with the new row count, out of band), or row `index`
    again with the parameter fields of the action just chosen."""

    permission = "automation.add_rule"

    def get(self, request):
        event_type = request.GET.get("event_type", "")
        index_text = request.GET.get("index", "")
        if index_text.isdigit():
            index = int(index_text)
            prefix = f"act-{index}"
            chosen = request.GET.get(f"{prefix}-action", "")
            form = forms.ActionForm(
                prefix=prefix, initial={"action": chosen}, event_type=event_type
            )
            context = {"form": form, "index": index, "oob": False}
        else:
            index = _count(request, "act")
            form = forms.ActionForm(prefix=f"act-{index}", event_type=event_type)
            context = {"form": form, "index": index, "total": index + 1, "oob": True}
        return render(request, "automation/_action_row.html", context)


class FieldSuggestionsView(PermissionRequiredMixin, View):
    """The field names a condition can test, for the chosen event (a <datalist>)."""

    permission = "automation.add_rule"

    def get(self, request):
        event_type = request.GET.get("event_type", "")
        return render(
            request,
            "automation/_field_suggestions.html",
            {"suggestions": conditions.field_suggestions(event_type)},
        )


class RemoveRowView(PermissionRequiredMixin, View):
    """An empty answer: htmx swaps the row it removes with it."""

    permission = "automation.add_rule"

    def get(self, request):
        return HttpResponse("")


# --- Webhooks ----------------------------------------------------------------------------------


class WebhookListPage(ListPage):
    permission = "automation.view_webhook"
    table_class = WebhookTable
    filterset_class = WebhookFilter
    title = gettext_lazy("Webhooks")
    empty_text = gettext_lazy(
        "No webhooks yet. A webhook sends events, signed, to another system's URL as they happen."
    )
    create_url = "automation:webhook_create"  # type: ignore[assignment]
    create_permission = "automation.add_webhook"
    export_name = "webhooks"
    template_name = "automation/webhook_list.html"

    def get_queryset(self):
        return queries.webhooks()


class DeliveryListPage(ListPage):
    permission = "automation.view_webhookdelivery"
    table_class = DeliveryTable
    filterset_class = DeliveryFilter
    title = gettext_lazy("Webhook deliveries")
    empty_text = gettext_lazy("Nothing has been sent to a webhook yet.")
    export_name = "webhook-deliveries"

    def get_queryset(self):
        return queries.deliveries()


def _secret_page(request, webhook, title, status=200):
    response = render(
        request,
        "automation/webhook_secret.html",
        {"title": title, "webhook": webhook, "secret": webhook.secret},
        status=status,
    )
    # The secret is shown once: never from a cache or the back button.
    response["Cache-Control"] = "no-store"
    return response


class WebhookCreateView(PermissionRequiredMixin, View):
    permission = "automation.add_webhook"

    def show(self, form, status=200):
        return render(
            self.request,
            "automation/webhook_form.html",
            {"title": _("New webhook"), "form": form},
            status=status,
        )

    def get(self, request):
        return self.show(forms.WebhookForm())

    def post(self, request):
        form = forms.WebhookForm(request.POST)
        if form.is_valid():
            try:
                webhook = services.create_webhook(actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                return _secret_page(request, webhook, _("Webhook created"), status=201)
        return self.show(form, status=422)


class WebhookDetailView(PermissionRequiredMixin, View):
    permission = "automation.view_webhook"

    def get(self, request, pk):
        webhook = found(queries.webhook, pk, request.user)
        user = request.user
        deliveries = None
        if allowed(user, "automation.view_webhookdelivery"):
            deliveries = DeliveryTable(
                queries.deliveries(user, webhook_id=webhook.pk)[:RECENT],
                request=request,
                exclude=("webhook",),
                orderable=False,
            )
        return render(
            request,
            "automation/webhook_detail.html",
            {
                "title": str(webhook),
                "webhook": webhook,
                "events": [(t, event_label(t)) for t in webhook.event_types],
                "deliveries": deliveries,
                "can_change": allowed(user, "automation.change_webhook"),
                "can_delete": allowed(user, "automation.delete_webhook"),
                "history": audit.history(webhook)[:20],
            },
        )


class WebhookEditView(PermissionRequiredMixin, View):
    permission = "automation.change_webhook"

    def show(self, webhook, form, status=200):
        return render(
            self.request,
            "automation/webhook_form.html",
            {
                "title": _("Edit %(webhook)s") % {"webhook": webhook},
                "form": form,
                "subject": webhook,
            },
            status=status,
        )

    def get(self, request, pk):
        webhook = found(queries.webhook, pk, request.user)
        return self.show(webhook, forms.WebhookForm(initial=forms.WebhookForm.initial_for(webhook)))

    def post(self, request, pk):
        webhook = found(queries.webhook, pk, request.user)
        form = forms.WebhookForm(request.POST)
        if form.is_valid():
            try:
                services.update_webhook(webhook, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, _("The webhook “%(name)s” was saved.") % {"name": webhook}
                )
                return redirect("automation:webhook_detail", pk=webhook.pk)
        return self.show(webhook, form, status=422)


class WebhookRotateView(PermissionRequiredMixin, View):
    permission = "automation.change_webhook"

    def get(self, request, pk):
        webhook = found(queries.webhook, pk, request.user)
        return render(
            request,
            "automation/confirm_delete.html",
            {
                "title": _("New signing secret for %(webhook)s") % {"webhook": webhook},
                "question": _("Give the webhook “%(name)s” a new signing secret?")
                % {"name": webhook},
                "consequence": _(
                    "The old secret stops working at once: the receiving system must be given "
                    "the new one, or it will reject the events."
                ),
                "confirm_label": _("Yes, make a new secret"),
                "confirm_class": "btn-warning",
                "cancel_url": webhook_url(webhook),
            },
        )

    def post(self, request, pk):
        webhook = found(queries.webhook, pk, request.user)
        try:
            webhook = services.rotate_webhook_secret(webhook, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("automation:webhook_detail", pk=webhook.pk)
        return _secret_page(request, webhook, _("New signing secret"))


class WebhookDeleteView(PermissionRequiredMixin, View):
    permission = "automation.delete_webhook"

    def get(self, request, pk):
        webhook = found(queries.webhook, pk, request.user)
        return render(
            request,
            "automation/confirm_delete.html",
            {
                "title": _("Delete %(webhook)s") % {"webhook": webhook},
                "question": _("Delete the webhook “%(name)s”?") % {"name": webhook},
                "consequence": _(
                    "No more events are sent to %(url)s, and the delivery log is deleted with "
                    "it. To stop it only for a while, make it inactive instead."
                )
                % {"url": webhook.url},
                "cancel_url": webhook_url(webhook),
            },
        )

    def post(self, request, pk):
        webhook = found(queries.webhook, pk, request.user)
        try:
            services.delete_webhook(webhook, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
            return redirect("automation:webhook_detail", pk=webhook.pk)
        messages.success(request, _("The webhook “%(name)s” was deleted.") % {"name": webhook})
        return redirect("automation:webhook_list")


def webhook_url(webhook) -> str:
    return reverse("automation:webhook_detail", args=[webhook.pk])


class DeliveryDetailView(PermissionRequiredMixin, View):
    permission = "automation.view_webhookdelivery"

    def get(self, request, pk):
        delivery = found(queries.delivery, pk, request.user)
        return render(
            request,
            "automation/delivery_detail.html",
            {
                "title": _("Delivery of %(event)s") % {"event": delivery.event_type},
                "delivery": delivery,
                "attempts": queries.attempts_of(delivery),
                "can_retry": delivery.can_retry
                and allowed(request.user, "automation.retry_webhookdelivery"),
            },
        )


class DeliveryRetryView(PermissionRequiredMixin, View):
    permission = "automation.retry_webhookdelivery"

    def post(self, request, pk):
        delivery = found(queries.delivery, pk, request.user)
        try:
            services.retry_delivery(delivery, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("The delivery will be sent again."))
        return redirect("automation:delivery_detail", pk=delivery.pk)


# --- Inbound messages ----------------------------------------------------------------------------


class InboundListPage(ListPage):
    permission = "automation.view_inboundmessage"
    table_class = InboundTable
    filterset_class = InboundFilter
    title = gettext_lazy("Inbound messages")
    empty_text = gettext_lazy(
        "No messages yet. Other systems post them to /api/v1/automation/inbound/<source> "
        "with a personal access token."
    )
    export_name = "inbound-messages"

    def get_queryset(self):
        return queries.inbound_messages()


class InboundDetailView(PermissionRequiredMixin, View):
    permission = "automation.view_inboundmessage"

    def get(self, request, pk):
        message = found(queries.inbound_message, pk, request.user)
        return render(
            request,
            "automation/inbound_detail.html",
            {
                "title": _("Message %(key)s") % {"key": message.idempotency_key},
                "message": message,
                "data": json.dumps(message.data, indent=2, ensure_ascii=False),
            },
        )
