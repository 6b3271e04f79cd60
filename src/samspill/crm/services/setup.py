"""Settings of the CRM that users change: web forms, scoring rules and calendar feeds."""

from __future__ import annotations

from django.db import transaction

from samspill.crm.models import CalendarFeed, ScoreRule, WebForm, new_key
from samspill.crm.services.common import check, full_clean, reject_unknown, resolve_user, strip
from samspill.crm.services.leads import rescore_open_leads
from samspill.platform import audit

WEB_FORM_FIELDS = ("name", "default_owner", "thank_you", "is_active")
RULE_FIELDS = ("field", "operator", "value", "points", "is_active")


def _assign(instance, changes: dict) -> None:
    for name, value in changes.items():
        if name == "default_owner":
            instance.default_owner = resolve_user(value, "default_owner")
        else:
            setattr(instance, name, strip(value) if value is not None else "")


@transaction.atomic
def create_web_form(*, actor, **data) -> WebForm:
    check(actor, "crm.add_webform")
    reject_unknown(data, WEB_FORM_FIELDS)
    form = WebForm()
    _assign(form, data)
    full_clean(form)
    form.save()
    audit.record(
        "create",
        form,
        actor=actor,
        changes=audit.diff({}, audit.snapshot(form, exclude=("key", "created_at"))),
    )
    return form


@transaction.atomic
def update_web_form(form: WebForm, *, actor, **changes) -> WebForm:
    check(actor, "crm.change_webform")
    reject_unknown(changes, WEB_FORM_FIELDS)
    form = WebForm.objects.select_for_update().get(pk=form.pk)
    before = audit.snapshot(form, exclude=("key", "created_at"))
    _assign(form, changes)
    full_clean(form)
    diff = audit.diff(before, audit.snapshot(form, exclude=("key", "created_at")))
    if diff:
        form.save()
        audit.record("update", form, actor=actor, changes=diff)
    return form


@transaction.atomic
def regenerate_web_form_key(form: WebForm, *, actor) -> WebForm:
    """A new key: the old snippet stops working (e.g. after abuse)."""
    check(actor, "crm.change_webform")
    form = WebForm.objects.select_for_update().get(pk=form.pk)
    form.key = new_key()
    form.save(update_fields=["key"])
    audit.record("update", form, actor=actor, changes={"key": ["…", "…"]})
    return form


def _rule_snapshot(rule: ScoreRule) -> dict:
    return audit.snapshot(rule, exclude=("created_at",))


@transaction.atomic
def create_score_rule(*, actor, **data) -> ScoreRule:
    """A new rule; the scores of open leads are recalculated."""
    check(actor, "crm.add_scorerule")
    reject_unknown(data, RULE_FIELDS)
    rule = ScoreRule()
    _assign(rule, data)
    full_clean(rule)
    rule.save()
    audit.record("create", rule, actor=actor, changes=audit.diff({}, _rule_snapshot(rule)))
    rescore_open_leads()
    return rule


@transaction.atomic
def update_score_rule(rule: ScoreRule, *, actor, **changes) -> ScoreRule:
    check(actor, "crm.change_scorerule")
    reject_unknown(changes, RULE_FIELDS)
    rule = ScoreRule.objects.select_for_update().get(pk=rule.pk)
    before = _rule_snapshot(rule)
    _assign(rule, changes)
    full_clean(rule)
    diff = audit.diff(before, _rule_snapshot(rule))
    if diff:
        rule.save()
        audit.record("update", rule, actor=actor, changes=diff)
        rescore_open_leads()
    return rule


@transaction.atomic
def delete_score_rule(rule: ScoreRule, *, actor) -> None:
    check(actor, "crm.delete_scorerule")
    rule = ScoreRule.objects.select_for_update().get(pk=rule.pk)
    audit.record("delete", rule, actor=actor, changes=audit.diff(_rule_snapshot(rule), {}))
    rule.delete()
    rescore_open_leads()


@transaction.atomic
def calendar_feed(user) -> CalendarFeed:
    """The user's feed, created on first use."""
    feed, _created = CalendarFeed.objects.get_or_create(user=user)
    return feed


@transaction.atomic
def regenerate_calendar_feed(user, *, actor) -> CalendarFeed:
    """A new secret address; calendars subscribed to the old one stop updating."""
    feed, created = CalendarFeed.objects.select_for_update().get_or_create(user=user)
    if not created:
        feed.token = new_key()
        feed.save(update_fields=["token"])
    audit.record("update", feed, actor=actor, changes={"token": ["…", "…"]}, object_repr=str(user))
    return feed
