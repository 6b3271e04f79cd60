"""The events of the chatter. Their subjects are the comment or attachment and whatever the
record's domain says a note on it is about (`records.subjects_for`), so a comment on a
contact shows on that contact's 360-degree timeline.

Payloads carry ids, never the text of a comment, a record's name or a file name: the
event log outlives a GDPR erasure, so it must not hold personal data."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from samspill.platform.events import Event


@dataclass(frozen=True, kw_only=True)
class ChatterEvent(Event):
    record: str  # "parties.party:12"
    record_subjects: dict[str, list[str]] = field(default_factory=dict)

    own_kind: ClassVar[str] = ""
    own_field: ClassVar[str] = ""

    def __init_subclass__(cls, **kwargs):
        # For the catalogue; `record_subjects` adds the record's kinds ("party": [id]).
        if "own_field" in cls.__dict__:
            cls.subject_fields = {cls.own_field: cls.own_kind, "record_subjects": "(the record's)"}
        super().__init_subclass__(**kwargs)

    def subjects(self) -> dict[str, list[str]]:
        result = {kind: list(ids) for kind, ids in self.record_subjects.items()}
        result[self.own_kind] = [str(getattr(self, self.own_field))]
        return result


@dataclass(frozen=True, kw_only=True)
class CommentAdded(ChatterEvent):
    type: ClassVar[str] = "platform.comment.added"
    description: ClassVar[Any] = _("A comment was written on a record")
    own_kind: ClassVar[str] = "comment"
    own_field: ClassVar[str] = "comment_id"

    comment_id: int
    author: str
    mentioned_user_ids: list[int] = field(default_factory=list)

    @classmethod
    def summarize(cls, payload: dict[str, Any]) -> str:
        # The timeline shows who did it beside the summary.
        return gettext("Wrote a comment")


@dataclass(frozen=True, kw_only=True)
class CommentEdited(ChatterEvent):
    type: ClassVar[str] = "platform.comment.edited"
    description: ClassVar[Any] = _("A comment was edited")
    own_kind: ClassVar[str] = "comment"
    own_field: ClassVar[str] = "comment_id"

    comment_id: int


@dataclass(frozen=True, kw_only=True)
class CommentDeleted(ChatterEvent):
    type: ClassVar[str] = "platform.comment.deleted"
    description: ClassVar[Any] = _("A comment was deleted")
    own_kind: ClassVar[str] = "comment"
    own_field: ClassVar[str] = "comment_id"

    comment_id: int


@dataclass(frozen=True, kw_only=True)
class AttachmentAdded(ChatterEvent):
    type: ClassVar[str] = "platform.attachment.added"
    description: ClassVar[Any] = _("A file was attached to a record")
    own_kind: ClassVar[str] = "attachment"
    own_field: ClassVar[str] = "attachment_id"

    attachment_id: int
    size: int
    mime_type: str


@dataclass(frozen=True, kw_only=True)
class AttachmentDeleted(ChatterEvent):
    type: ClassVar[str] = "platform.attachment.deleted"
    description: ClassVar[Any] = _("An attached file was deleted")
    own_kind: ClassVar[str] = "attachment"
    own_field: ClassVar[str] = "attachment_id"

    attachment_id: int


# Events about the chatter itself that followers are not told about (noise).
QUIET_TYPES = frozenset({CommentEdited.type, CommentDeleted.type})
