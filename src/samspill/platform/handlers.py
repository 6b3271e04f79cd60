"""What the kernel does when any event arrives: tell the followers of the records it names.

Cheap by construction: the event's subjects are mapped to records through the record
registry (`records.register_record`) in memory, then one query finds the followers of
all of them; an event about records nobody follows costs that one query. Each follower is
notified once per event, even when the event names several records they follow (and a
database constraint holds it: one notification per user and event).
"""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models import Q
from django.utils import translation

from samspill.platform import records
from samspill.platform.chatter_events import QUIET_TYPES, CommentAdded
from samspill.platform.errors import NotFound
from samspill.platform.events import subscribe, summarize
from samspill.platform.models import Comment, Follower, Notification
from samspill.platform.notifications import create as notify


def _targets(event) -> list[tuple[str, str]]:
    """(model label, pk) of every registered record the event names."""
    by_kind: dict[str, list[str]] = {}
    for rtype in records.record_types().values():
        by_kind.setdefault(rtype.kind, []).append(rtype.label)
    targets: list[tuple[str, str]] = []
    for kind, ids in (event.subjects or {}).items():
        for label in by_kind.get(kind, ()):
            targets.extend((label, str(object_id)) for object_id in ids)
    reference = (event.payload or {}).get("record") if event.type.startswith("platform.") else None
    if isinstance(reference, str) and ":" in reference:
        label, _, pk = reference.partition(":")
        if (label, pk) not in targets:
            targets.insert(0, (label, pk))
    return targets


def _creator_follows(event) -> None:
    if not event.actor_id:
        return
    for rtype in records.record_types().values():
        if rtype.created_event == event.type and rtype.created_field:
            object_id = (event.payload or {}).get(rtype.created_field)
            if object_id is None:
                continue
            model = records.model_for(rtype.label)
            Follower.objects.get_or_create(
                content_type=records.content_type(model),
                object_id=str(object_id),
                user_id=event.actor_id,
            )


def _languages(user_ids) -> dict[int, str]:
    """Each user's language, if the user model has one (one query)."""
    User = get_user_model()
    if not any(f.name == "language" for f in User._meta.fields):
        return {}
    return dict(User.objects.filter(pk__in=list(user_ids)).values_list("pk", "language"))


def excerpt_of(comment_id) -> str:
    from samspill.platform.chatter import excerpt

    body = Comment.objects.filter(pk=comment_id).values_list("body", flat=True).first()
    return excerpt(body or "", 290)


def _deleted_records_lose_chatter(event) -> None:
    from samspill.platform.chatter import remove_chatter

    for rtype in records.record_types().values():
        if rtype.deleted_event == event.type and rtype.deleted_field:
            object_id = (event.payload or {}).get(rtype.deleted_field)
            if object_id is not None:
                model = records.model_for(rtype.label)
                remove_chatter(records.content_type(model), str(object_id))


def concerns_records(event_type: str) -> bool:
    """Whether events of this type can concern a registered record (and so its followers):
    they name a kind of record among their subjects, refer to a record (platform events), or
    create or delete one. Types that cannot are not delivered to `notify_followers`."""
    from samspill.platform.events import EVENT_TYPES

    event_class = EVENT_TYPES.get(event_type)
    if event_class is None or event_type.startswith("platform."):
        return True
    types = records.record_types().values()
    kinds = {rtype.kind for rtype in types}
    if kinds & set(event_class.subject_fields.values()):
        return True
    return any(event_type in (rtype.created_event, rtype.deleted_event) for rtype in types)


@subscribe("*", name="platform.followers", wants=concerns_records)
def notify_followers(event) -> None:
    _creator_follows(event)
    _deleted_records_lose_chatter(event)
    if event.type in QUIET_TYPES:
        return
    targets = _targets(event)
    if not targets:
        return
    models_by_label: dict[str, type[models.Model]] = {}
    query = Q()
    for label, pk in targets:
        try:
            model = models_by_label.setdefault(label, records.model_for(label))
        except NotFound:  # a reference to an unknown kind of record names no follower
            continue
        query |= Q(content_type=records.content_type(model), object_id=pk)
    if not query:
        return
    skip = {event.actor_id}
    if event.type == CommentAdded.type:
        skip.update(event.payload.get("mentioned_user_ids", []))
    follows = list(
        Follower.objects.filter(query)
        .exclude(user_id__in=[s for s in skip if s is not None])
        .select_related("content_type")
        .order_by("user_id", "since")
    )
    if not follows:
        return
    may_view: dict[int, set[int]] = {}
    for ct_id in {f.content_type_id for f in follows}:
        model_class = ContentType.objects.get_for_id(ct_id).model_class()
        ids = {f.user_id for f in follows if f.content_type_id == ct_id}
        may_view[ct_id] = records.users_who_may_view(model_class, ids) if model_class else set()
    first: dict[int, Follower] = {}
    for f in follows:
        if f.user_id in may_view[f.content_type_id]:
            first.setdefault(f.user_id, f)
    if not first:
        return
    kind = Notification.Kind.COMMENT if event.type == CommentAdded.type else Notification.Kind.EVENT
    cache: dict[tuple[int, str], tuple[str, str]] = {}
    summaries: dict[str | None, str] = {}
    languages = _languages(first)
    comment_text = excerpt_of(event.payload.get("comment_id")) if kind == "comment" else ""
    rows = []
    for user_id, follow in first.items():
        key = (follow.content_type_id, follow.object_id)
        if key not in cache:
            found = follow.content_type.get_all_objects_for_this_type(pk=follow.object_id)
            record = found.first()
            cache[key] = (str(record)[:200], records.url_of(record)) if record else ("", "")
        record_repr, url = cache[key]
        if kind == Notification.Kind.COMMENT:
            summary = comment_text
        else:
            language = languages.get(user_id) or None
            if language not in summaries:
                with translation.override(language):
                    summaries[language] = summarize(event)
            summary = summaries[language]
        rows.append(
            Notification(
                user_id=user_id,
                kind=kind,
                actor_id=event.actor_id,
                content_type_id=follow.content_type_id,
                object_id=follow.object_id,
                record_repr=record_repr,
                summary=str(summary)[:300],
                url=url,
                event=event,
                comment_id=event.payload.get("comment_id")
                if kind == Notification.Kind.COMMENT
                else None,
            )
        )
    notify(rows)
