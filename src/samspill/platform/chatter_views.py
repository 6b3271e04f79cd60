"""Web views of the chatter panel (comments, attachments, followers) and of notifications
(the bell, the notifications page). Thin adapters over `chatter` and `notifications`:
every change goes through a service, every read checks that the user may see the record.
htmx requests get the panel (or bell) fragment back; plain posts redirect to the record."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.mixins import LoginRequiredMixin
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views import View

from samspill.platform import audit, chatter, notifications, records
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.models import Attachment, Comment, Follower, NotificationPreference
from samspill.platform.permissions import allowed

PANEL_COMMENTS = 50
BELL_LATEST = 8
TRAILING_MENTION = re.compile(r"(?:^|\s)@([\w.+-]{0,150})$")


@dataclass(frozen=True)
class Row:
    """A comment or attachment with what the panel shows about it for this user."""

    obj: Any
    html: str = ""
    can_edit: bool = False
    can_delete: bool = False


def panel_context(request, record, *, form_body: str = "", error: str = "", file_error: str = ""):
    """Everything the panel shows, in a fixed number of queries whatever the comment count."""
    user = request.user
    link = {"content_type": records.content_type(record), "object_id": str(record.pk)}
    comments = list(
        Comment.objects.filter(**link)
        .select_related("author")
        .prefetch_related(Prefetch("mentions", queryset=get_user_model().objects.only("username")))
        .order_by("-created_at", "-id")[:PANEL_COMMENTS]
    )
    now = timezone.now()
    moderator = allowed(user, "platform.delete_comment")
    comment_rows = [
        Row(
            comment,
            html=render_body(comment.body, {m.username.lower() for m in comment.mentions.all()}),
            can_edit=chatter.can_change(comment, user, now=now),
            can_delete=chatter.can_delete(comment, user, now=now, moderator=moderator),
        )
        for comment in comments
    ]
    file_moderator = allowed(user, "platform.delete_attachment")
    locked = bool(records.attachments_locked(record))
    attachments = [
        Row(a, can_delete=not locked and (file_moderator or a.uploaded_by_id == user.pk))
        for a in Attachment.objects.filter(**link).select_related("uploaded_by")
    ]
    followers = Follower.objects.filter(**link).aggregate(
        n=Count("id"), me=Count("id", filter=Q(user=user))
    )
    reference = records.ref(record)
    label, pk = record._meta.label_lower, str(record.pk)
    return {
        "record": record,
        "record_ref": reference,
        "record_label": label,
        "record_pk": pk,
        "comments": comment_rows,
        "comment_count": Comment.objects.filter(**link).count()
        if len(comments) == PANEL_COMMENTS
        else len(comments),
        "attachments": attachments,
        "follower_count": followers["n"],
        "following": bool(followers["me"]),
        "form_body": form_body,
        "error": error,
        "file_error": file_error,
        "accept": ",".join(f".{ext}" for ext in sorted(chatter.ALLOWED_TYPES)),
        "max_bytes": chatter.settings.SAMSPILL["ATTACHMENT_MAX_BYTES"],
    }


TAG = re.compile(r"(<[^>]*>)")


def render_body(body: str, mentioned: set[str]):
    """The comment as safe HTML: escaped, line breaks kept, URLs and mentions linked.
    Mentions are marked in the text between tags only, never inside a link."""
    from django.utils.html import escape, urlize
    from django.utils.safestring import mark_safe

    html = urlize(body, trim_url_limit=60, nofollow=True, autoescape=True)

    def mention(match):
        name = match.group(1)
        if name.lower() not in mentioned:
            return match.group(0)
        return f'<span class="badge text-bg-info mention">@{escape(name)}</span>'

    parts = []
    in_link = False
    for part in TAG.split(html):
        if part.startswith("<"):
            in_link = part.startswith("<a ") or (in_link and part != "</a>")
        elif not in_link:
            part = chatter.MENTION.sub(mention, part)
        parts.append(part)
    # urlize escaped the text; a mention's name holds only characters escaping keeps.
    return mark_safe("".join(parts).replace("\n", "<br>"))


def _record_or_404(request, label, pk):
    try:
        return records.visible(request.user, label, pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _panel_response(request, record, **extra):
    if getattr(request, "htmx", False):
        return render(
            request, "platform/chatter/panel_body.html", panel_context(request, record, **extra)
        )
    for key in ("error", "file_error"):
        if extra.get(key):
            messages.error(request, extra[key])
    return redirect(records.url_of(record) or "web:home")


class PanelView(LoginRequiredMixin, View):
    """GET: the panel fragment (htmx refresh)."""

    def get(self, request, label, pk):
        record = _record_or_404(request, label, pk)
        return render(request, "platform/chatter/panel_body.html", panel_context(request, record))


class CommentAddView(LoginRequiredMixin, View):
    def post(self, request, label, pk):
        record = _record_or_404(request, label, pk)
        body = request.POST.get("body", "")
        try:
            chatter.add_comment(f"{label}:{pk}", body, actor=request.user)
        except DomainError as exc:
            return _panel_response(request, record, form_body=body, error=str(exc.message))
        if not request.htmx:
            messages.success(request, _("Your comment was added."))
        return _panel_response(request, record)


class CommentEditView(LoginRequiredMixin, View):
    """GET: the edit form of one comment (htmx, in place). POST: save it."""

    def _comment(self, request, comment_id):
        comment = Comment.objects.select_related("content_type").filter(pk=comment_id).first()
        if comment is None:
            raise Http404(_("There is no such comment."))
        record = _record_or_404(request, records.label_of(comment.content_type), comment.object_id)
        return comment, record

    def get(self, request, comment_id):
        comment, record = self._comment(request, comment_id)
        if not chatter.can_change(comment, request.user):
            return _panel_response(
                request, record, error=_("This comment can no longer be edited.")
            )
        return render(
            request,
            "platform/chatter/comment_edit.html",
            {
                "comment": comment,
                "record": record,
                "record_label": record._meta.label_lower,
                "body": comment.body,
            },
        )

    def post(self, request, comment_id):
        comment, record = self._comment(request, comment_id)
        body = request.POST.get("body", "")
        try:
            chatter.edit_comment(comment.pk, body, actor=request.user)
        except DomainError as exc:
            if request.htmx and exc.code in ("empty_comment", "comment_too_long"):
                return render(
                    request,
                    "platform/chatter/comment_edit.html",
                    {
                        "comment": comment,
                        "record": record,
                        "record_label": record._meta.label_lower,
                        "body": body,
                        "error": exc.message,
                    },
                )
            return _panel_response(request, record, error=str(exc.message))
        return _panel_response(request, record)


class CommentDeleteView(CommentEditView):
    def get(self, request, comment_id):
        raise Http404

    def post(self, request, comment_id):
        comment, record = self._comment(request, comment_id)
        try:
            chatter.delete_comment(comment.pk, actor=request.user)
        except DomainError as exc:
            return _panel_response(request, record, error=str(exc.message))
        if not request.htmx:
            messages.success(request, _("The comment was deleted."))
        return _panel_response(request, record)


class AttachmentAddView(LoginRequiredMixin, View):
    def post(self, request, label, pk):
        record = _record_or_404(request, label, pk)
        try:
            chatter.add_attachment(f"{label}:{pk}", request.FILES.get("file"), actor=request.user)
        except DomainError as exc:
            return _panel_response(request, record, file_error=str(exc.message))
        if not request.htmx:
            messages.success(request, _("The file was attached."))
        return _panel_response(request, record)


class AttachmentDownloadView(LoginRequiredMixin, View):
    def get(self, request, attachment_id):
        try:
            attachment, record = chatter.attachment_for(request.user, attachment_id)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        audit.record_read(record, actor=request.user)
        return attachment_response(attachment)


def attachment_response(attachment: Attachment) -> FileResponse:
    """The file as a download (never shown inline), with the type found when uploading."""
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404(_("The file is missing from storage.")) from exc
    response = FileResponse(
        handle, as_attachment=True, filename=attachment.name, content_type=attachment.mime_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


class AttachmentDeleteView(LoginRequiredMixin, View):
    def post(self, request, attachment_id):
        try:
            attachment, record = chatter.attachment_for(request.user, attachment_id)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        try:
            chatter.delete_attachment(attachment.pk, actor=request.user)
        except DomainError as exc:
            return _panel_response(request, record, file_error=str(exc.message))
        if not request.htmx:
            messages.success(request, _("The file was deleted."))
        return _panel_response(request, record)


class FollowView(LoginRequiredMixin, View):
    def post(self, request, label, pk):
        record = _record_or_404(request, label, pk)
        reference = f"{label}:{pk}"
        if request.POST.get("action") == "unfollow":
            chatter.unfollow(reference, actor=request.user)
        else:
            chatter.follow(reference, actor=request.user)
        return _panel_response(request, record)


class MentionSuggestionsView(LoginRequiredMixin, View):
    """htmx: users whose name starts with the @word being typed at the end of the comment,
    among those whose roles let them see this kind of record (one query)."""

    def get(self, request):
        match = TRAILING_MENTION.search(request.GET.get("body", ""))
        users = []
        target = request.GET.get("target", "")
        if match:
            try:
                record = records.visible_ref(request.user, request.GET.get("record", ""))
            except DomainError:
                record = None
            if record is not None:
                users = list(mention_candidates(record, match.group(1), request.user))
        return render(
            request,
            "platform/chatter/mention_suggestions.html",
            {"users": users, "target": target},
        )


def mention_candidates(record, prefix: str, author, limit: int = 8):
    meta = record._meta
    codename = f"view_{meta.model_name}"
    perm = Q(
        groups__permissions__codename=codename,
        groups__permissions__content_type__app_label=meta.app_label,
    ) | Q(
        user_permissions__codename=codename,
        user_permissions__content_type__app_label=meta.app_label,
    )
    may_view = get_user_model().objects.filter(Q(is_superuser=True) | perm)
    return (
        get_user_model()
        .objects.filter(is_active=True, pk__in=may_view.values("pk"))
        .filter(
            Q(username__istartswith=prefix)
            | Q(first_name__istartswith=prefix)
            | Q(last_name__istartswith=prefix)
        )
        .exclude(pk=author.pk)
        .order_by("username")
        .only("username", "first_name", "last_name")[:limit]
    )


# --- Notifications -----------------------------------------------------------------------------


class BellView(LoginRequiredMixin, View):
    """The bell's unread count and dropdown of the latest notifications (htmx, polled)."""

    def get(self, request):
        latest = list(notifications.for_user(request.user)[:BELL_LATEST])
        unread = notifications.unread_count(request.user)
        for n in latest:
            n.text = notifications.text_of(n)
        return render(
            request, "platform/notifications/bell.html", {"latest": latest, "unread": unread}
        )


class NotificationListView(LoginRequiredMixin, View):
    def get(self, request):
        from django.core.paginator import Paginator

        only_unread = request.GET.get("unread") == "1"
        rows = notifications.for_user(request.user)
        if only_unread:
            rows = rows.filter(read_at__isnull=True)
        page = Paginator(rows, 50).get_page(request.GET.get("page"))
        for n in page.object_list:
            n.text = notifications.text_of(n)
        preference = (
            NotificationPreference.objects.filter(user=request.user)
            .values_list("email", flat=True)
            .first()
            or NotificationPreference.Email.MENTIONS
        )
        return render(
            request,
            "platform/notifications/list.html",
            {
                "title": _("Notifications"),
                "page": page,
                "only_unread": only_unread,
                "unread": notifications.unread_count(request.user),
                "preference": preference,
                "preference_choices": NotificationPreference.Email.choices,
            },
        )


class NotificationReadView(LoginRequiredMixin, View):
    """Mark one notification read; with `go`, open the record it is about."""

    def post(self, request, pk):
        try:
            notification = notifications.mark_read(pk, actor=request.user)
        except NotFound as exc:
            raise Http404(str(exc.message)) from exc
        if (
            request.POST.get("go")
            and notification.url
            and url_has_allowed_host_and_scheme(
                notification.url, allowed_hosts={request.get_host()}
            )
        ):
            return redirect(notification.url)
        if request.htmx:
            return HttpResponse(status=204, headers={"HX-Trigger": "notifications-changed"})
        return redirect("platform:notifications")


class NotificationReadAllView(LoginRequiredMixin, View):
    def post(self, request):
        count = notifications.mark_all_read(actor=request.user)
        messages.success(request, _("%(count)d notifications marked as read.") % {"count": count})
        return redirect("platform:notifications")


class NotificationPreferenceView(LoginRequiredMixin, View):
    def post(self, request):
        try:
            notifications.set_email_preference(request.POST.get("email", ""), actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your e-mail setting was saved."))
        return redirect("platform:notifications")
