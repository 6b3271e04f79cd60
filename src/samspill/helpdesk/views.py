"""Pages of customer service: the inbox (ListPage with filters and export), the ticket page
with the conversation, the customer's summary beside it, reply / note forms with the
collision check, the status actions, merge, split and canned responses."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from samspill.helpdesk import queries, services
from samspill.helpdesk.filters import TicketFilterSet
from samspill.helpdesk.forms import NoteForm, ReplyForm, TicketForm
from samspill.helpdesk.forms_channels import CallForm
from samspill.helpdesk.models import OPEN_STATUSES, Message, Priority, Ticket
from samspill.helpdesk.tables import TicketTable
from samspill.knowledge import queries as knowledge
from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from

TIMELINE_LIMIT = 30


def _ticket_or_404(request, pk) -> Ticket:
    try:
        return queries.get_ticket(request.user, pk)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


def _run(request, func, *args, success: str = "", **kwargs):
    """Call a service; a DomainError becomes a message on the page (never a 500)."""
    try:
        result = func(*args, **kwargs)
    except DomainPermissionDenied as exc:
        raise DjangoPermissionDenied(str(exc.message)) from exc
    except DomainError as exc:
        messages.error(request, str(exc.message))
        return None
    if success:
        messages.success(request, success)
    return result


class InboxView(ListPage):
    permission = "helpdesk.view_ticket"
    template_name = "helpdesk/inbox.html"
    table_class = TicketTable  # type: ignore[assignment]
    filterset_class = TicketFilterSet  # type: ignore[assignment]
    create_url = "helpdesk:ticket_create"  # type: ignore[assignment]
    create_permission = "helpdesk.add_ticket"
    export_name = "tickets"

    @property
    def title(self):
        return _("Service inbox")

    @property
    def empty_text(self):
        return _(
            "No tickets here. E-mails to a queue's address become tickets; "
            "or register a call with New."
        )

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["table_template"] = "helpdesk/_inbox_table.html"
        context["now"] = timezone.now()
        return context

    def get_queryset(self):
        rows = queries.inbox_rows(self.request.user)
        if not any(self.request.GET.get(k) for k in ("view", "status", "party", "q")):
            rows = rows.filter(status__in=OPEN_STATUSES)  # what an agent works on
        return rows


class TicketCreateView(PermissionRequiredMixin, View):
    permission = "helpdesk.add_ticket"

    def get(self, request):
        form = TicketForm(initial={"party": request.GET.get("party")})
        return render(
            request, "helpdesk/ticket_form.html", {"form": form, "title": _("New ticket")}
        )

    def post(self, request):
        form = TicketForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                ticket = services.open_ticket(
                    actor=request.user,
                    subject=data["subject"],
                    body=data["body"],
                    channel=data["channel"],
                    party=data["party"],
                    email=data["email"],
                    priority=data["priority"],
                    queue=data["queue"],
                    tags=data["tags"],
                )
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(
                    request, _("Ticket %(number)s was opened.") % {"number": ticket.number}
                )
                return redirect(ticket)
        return render(
            request,
            "helpdesk/ticket_form.html",
            {"form": form, "title": _("New ticket")},
            status=422,
        )


class TicketDetailView(PermissionRequiredMixin, View):
    permission = "helpdesk.view_ticket"

    def get(self, request, pk, reply_form=None, note_form=None, status=200):
        ticket = _ticket_or_404(request, pk)
        talk = queries.conversation(ticket)
        last_seen = talk["all"][-1].pk if talk["all"] else 0
        context = {
            "ticket": ticket,
            "title": f"{ticket.number} {ticket.subject}",
            "conversation": talk,
            "summary": queries.customer_summary(request.user, ticket),
            "links": list(ticket.links.all()),
            "reply_form": reply_form or ReplyForm(initial={"last_seen": last_seen}),
            "note_form": note_form or NoteForm(),
            "canned": list(queries.canned_responses()),
            "queues": list(queries.queues()),
            "priorities": Priority.choices,
            "can_change": allowed(request.user, "helpdesk.change_ticket"),
            "can_reply": allowed(request.user, "helpdesk.reply_ticket"),
            "can_merge": allowed(request.user, "helpdesk.merge_ticket"),
            "can_read_knowledge": allowed(request.user, "knowledge.view_article"),
            "actions": _actions(ticket),
            "timeline_entries": timeline("ticket", ticket.pk, limit=TIMELINE_LIMIT),
            "history": audit.history(ticket)[:20],
            # the conversation with the phone calls in it; the form to log one
            "conversation_items": queries.conversation_items(
                ticket, talk, queries.ticket_calls(ticket)
            ),
            "call_form": CallForm(initial={"phone": ""}),
            "can_log_call": allowed(request.user, "helpdesk.add_calllog"),
        }
        return render(request, "helpdesk/ticket_detail.html", context, status=status)


def _actions(ticket: Ticket) -> list[tuple[str, str]]:
    from samspill.helpdesk.services.tickets import TRANSITIONS

    labels = {
        Ticket.Status.OPEN: ("start", _("Open") if ticket.status == "new" else _("Reopen")),
        Ticket.Status.PENDING_CUSTOMER: ("wait_customer", _("Pending customer")),
        Ticket.Status.PENDING_INTERNAL: ("wait_internal", _("Pending internal")),
        Ticket.Status.RESOLVED: ("resolve", _("Resolve")),
        Ticket.Status.CLOSED: ("close", _("Close")),
    }
    return [labels[s] for s in labels if s in TRANSITIONS[Ticket.Status(ticket.status)]]


ACTIONS = {
    "start": services.start_ticket,
    "wait_customer": services.wait_for_customer,
    "wait_internal": services.wait_internally,
    "resolve": services.resolve_ticket,
    "close": services.close_ticket,
}


class WriteView(PermissionRequiredMixin, View):
    """POST a reply (kind="reply") or an internal note (kind="note")."""

    permission = "helpdesk.view_ticket"
    kind = "reply"

    def post(self, request, pk):
        ticket = _ticket_or_404(request, pk)
        form = ReplyForm(request.POST) if self.kind == "reply" else NoteForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if self.kind == "reply":
                    services.reply_to_customer(
                        ticket,
                        actor=request.user,
                        body=data["body"],
                        last_seen_message_id=data.get("last_seen") or 0,
                        status=data["status"],
                    )
                    messages.success(request, _("Your reply was sent."))
                else:
                    services.add_note(ticket, actor=request.user, body=data["body"])
                    messages.success(request, _("The note was added."))
                return redirect(ticket)
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except services.Collision as exc:
                messages.warning(request, str(exc.message))
                # keep the text; the hidden field moves on to what the agent now sees
                form = ReplyForm(
                    initial={
                        "body": data["body"],
                        "status": data["status"],
                        "last_seen": queries.last_message_id(ticket),
                    }
                )
                return TicketDetailView().get(request, pk, reply_form=form, status=409)
            except DomainError as exc:
                form_errors_from(form, exc)
        detail = TicketDetailView()
        if self.kind == "reply":
            return detail.get(request, pk, reply_form=form, status=422)
        return detail.get(request, pk, note_form=form, status=422)


class TicketActionView(PermissionRequiredMixin, View):
    """Status operations, assignment ("assign_me", "assign") and linking a record."""

    permission = "helpdesk.change_ticket"

    def post(self, request, pk):
        ticket = _ticket_or_404(request, pk)
        action = request.POST.get("action", "")
        if action in ACTIONS:
            _run(request, ACTIONS[action], ticket, actor=request.user, success=_("Saved."))
        elif action == "assign_me":
            _run(
                request,
                services.assign_ticket,
                ticket,
                actor=request.user,
                assignee=request.user,
                success=_("The ticket is yours."),
            )
        elif action == "assign":
            _run(
                request,
                services.assign_ticket,
                ticket,
                actor=request.user,
                assignee=request.POST.get("assignee") or None,
                queue=request.POST.get("queue") or None,
                success=_("Saved."),
            )
        elif action == "details":
            _run(
                request,
                services.update_ticket,
                ticket,
                actor=request.user,
                priority=request.POST.get("priority") or None,
                tags=request.POST.get("tags", ""),
                success=_("Saved."),
            )
        elif action == "link":
            _run(
                request,
                services.link_record,
                ticket,
                actor=request.user,
                record=request.POST.get("record", ""),
                success=_("The record was linked."),
            )
        else:
            messages.error(request, _("Unknown action."))
        return redirect(ticket)


class MergeView(PermissionRequiredMixin, View):
    permission = "helpdesk.merge_ticket"

    def post(self, request, pk):
        duplicate = _ticket_or_404(request, pk)
        number = (request.POST.get("into") or "").strip().upper()
        try:
            survivor = queries.get_ticket_by_number(request.user, number)
        except NotFound:
            messages.error(request, _("There is no ticket %(number)s.") % {"number": number})
            return redirect(duplicate)
        merged = _run(
            request,
            services.merge_tickets,
            actor=request.user,
            survivor=survivor,
            duplicate=duplicate,
            success=_("Merged into %(number)s.") % {"number": survivor.number},
        )
        return redirect(merged or duplicate)


class SplitView(PermissionRequiredMixin, View):
    permission = "helpdesk.merge_ticket"

    def post(self, request, pk, message_id):
        ticket = _ticket_or_404(request, pk)
        message = Message.objects.filter(ticket=ticket, pk=message_id).first()
        if message is None:
            raise Http404(_("There is no such message."))
        new = _run(
            request, services.split_message, message, actor=request.user, success=_("Split off.")
        )
        return redirect(new or ticket)


class CannedView(PermissionRequiredMixin, View):
    """A canned response with its placeholders filled for this ticket (JSON for the form)."""

    permission = "helpdesk.view_ticket"

    def get(self, request, pk):
        ticket = _ticket_or_404(request, pk)
        pk = request.GET.get("id", "")
        canned = queries.canned_responses().filter(pk=pk).first() if pk.isdigit() else None
        if canned is None:
            raise Http404(_("There is no such canned response."))
        return JsonResponse({"body": queries.fill_placeholders(canned.body, ticket, request.user)})


class SuggestionsView(PermissionRequiredMixin, View):
    """Knowledge articles that may answer the ticket, beside the reply form (htmx): found
    from the subject and the customer's last message, and from what the agent types."""

    permission = "helpdesk.view_ticket"

    def get(self, request, pk):
        ticket = _ticket_or_404(request, pk)
        if not allowed(request.user, "knowledge.view_article"):
            raise DjangoPermissionDenied(_("You do not have permission to do this"))
        typed = (request.GET.get("body") or "").strip()[:2000]
        question = " ".join([ticket.subject, typed or queries.last_customer_text(ticket)])
        found = [
            {
                "id": s.id,
                "title": s.title,
                "url": s.url,
                "excerpt": s.excerpt,
                "visibility": s.visibility,
                "public_url": request.build_absolute_uri(s.public_url) if s.public_url else "",
            }
            for s in knowledge.suggest(
                question, language=None, audience=knowledge.INTERNAL, user=request.user, limit=5
            )
        ]
        return render(
            request, "knowledge/_suggestions.html", {"suggestions": found, "insert": True}
        )
