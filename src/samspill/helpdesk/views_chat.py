"""Pages of the web chat: the chat channels (settings, the script tag to copy, a preview
page with the widget), the live part of a chat ticket's page (htmx polls for what the visitor
wrote), the agents' presence ping from the inbox, and the widget's script itself
(`/chat/widget.js`, public)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.contrib import messages
from django.contrib.staticfiles import finders
from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path, reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.decorators.http import require_GET

from samspill.helpdesk import queries
from samspill.helpdesk.models import ChatChannel, Message, Queue
from samspill.helpdesk.services import chat
from samspill.helpdesk.views import _ticket_or_404
from samspill.platform.errors import DomainError
from samspill.platform.errors import PermissionDenied as DomainPermissionDenied
from samspill.platform.permissions import allowed
from samspill.platform.views import PermissionRequiredMixin, form_errors_from


class ChatChannelForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("Name"), max_length=100)
    queue = forms.ModelChoiceField(label=gettext_lazy("Queue"), queryset=Queue.objects.none())
    allowed_origins = forms.CharField(
        label=gettext_lazy("Allowed websites"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=gettext_lazy(
            "One address per line, e.g. https://www.firma.no. Only pages there may use the chat."
        ),
    )
    greeting = forms.CharField(
        label=gettext_lazy("Greeting"),
        required=False,
        max_length=chat.MAX_GREETING,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=gettext_lazy("Shown when a visitor opens the chat."),
    )
    offline_message = forms.CharField(
        label=gettext_lazy("Message when nobody is online"),
        required=False,
        max_length=chat.MAX_GREETING,
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    require_email = forms.BooleanField(
        label=gettext_lazy("Ask for the e-mail address (always asked when nobody is online)"),
        required=False,
    )
    follow_opening_hours = forms.BooleanField(
        label=gettext_lazy("Offline outside the queue's opening hours"), required=False
    )
    agent_idle_minutes = forms.IntegerField(
        label=gettext_lazy("Offline after minutes without an agent in the inbox (0: never)"),
        min_value=0,
        max_value=1440,
    )
    is_active = forms.BooleanField(label=gettext_lazy("Active"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["queue"].queryset = Queue.objects.order_by("name")
        for field in self.fields.values():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs.setdefault("class", "form-select")
            else:
                field.widget.attrs.setdefault("class", "form-control")


INITIAL = {
    "require_email": True,
    "follow_opening_hours": True,
    "agent_idle_minutes": 15,
    "is_active": True,
}


def script_tag(request, channel: ChatChannel) -> str:
    src = request.build_absolute_uri(reverse("chat-widget"))
    return f'<script src="{src}" data-channel="{channel.key}" async></script>'


class ChatChannelListView(PermissionRequiredMixin, View):
    permission = "helpdesk.view_chatchannel"

    def get(self, request):
        channels = list(queries.chat_channels())
        return render(
            request,
            "helpdesk/chat_channels.html",
            {
                "title": _("Web chat"),
                "channels": [(c, script_tag(request, c), chat.is_online(c)) for c in channels],
                "can_add": allowed(request.user, "helpdesk.add_chatchannel"),
                "can_change": allowed(request.user, "helpdesk.change_chatchannel"),
            },
        )


class ChatChannelFormView(PermissionRequiredMixin, View):
    """Add (no pk) or change a chat channel."""

    permission = "helpdesk.view_chatchannel"

    def _channel(self, pk):
        if pk is None:
            return None
        channel = queries.chat_channels().filter(pk=pk).first()
        if channel is None:
            raise Http404(_("There is no chat channel with this id."))
        return channel

    def _render(self, request, form, channel, status=200):
        title = channel.name if channel else _("New web chat")
        return render(
            request,
            "helpdesk/chat_channel_form.html",
            {
                "title": title,
                "form": form,
                "channel": channel,
                "script": script_tag(request, channel) if channel else "",
            },
            status=status,
        )

    def get(self, request, pk=None):
        channel = self._channel(pk)
        if channel is None:
            initial = dict(INITIAL, queue=Queue.objects.filter(is_default=True).first())
        else:
            initial = {field: getattr(channel, field) for field in chat.CHANNEL_FIELDS}
        return self._render(request, ChatChannelForm(initial=initial), channel)

    def post(self, request, pk=None):
        channel = self._channel(pk)
        form = ChatChannelForm(request.POST)
        if form.is_valid():
            try:
                if channel is None:
                    channel = chat.create_chat_channel(actor=request.user, **form.cleaned_data)
                    messages.success(request, _("The web chat was added. Copy its script tag."))
                else:
                    chat.update_chat_channel(channel, actor=request.user, **form.cleaned_data)
                    messages.success(request, _("Saved."))
                return redirect("helpdesk:chat_channel", pk=channel.pk)
            except DomainPermissionDenied as exc:
                raise DjangoPermissionDenied(str(exc.message)) from exc
            except DomainError as exc:
                form_errors_from(form, exc)
        return self._render(request, form, channel, status=422)


class ChatPreviewView(PermissionRequiredMixin, View):
    """A page with nothing but the widget's script tag: try the chat as a visitor would."""

    permission = "helpdesk.view_chatchannel"

    def get(self, request, pk):
        channel = queries.chat_channels().filter(pk=pk).first()
        if channel is None:
            raise Http404(_("There is no chat channel with this id."))
        return render(
            request,
            "helpdesk/chat_preview.html",
            {"channel": channel, "widget_src": reverse("chat-widget")},
        )


class TicketChatView(PermissionRequiredMixin, View):
    """htmx, every few seconds on a chat ticket's page: what was written since `after` (the
    visitor's messages, colleagues' replies and notes) and whether the visitor is there."""

    permission = "helpdesk.view_ticket"

    def get(self, request, pk):
        ticket = _ticket_or_404(request, pk)
        after = request.GET.get("after", "0")
        after_id = int(after) if after.isdigit() else 0
        new = queries.chat_messages_after(ticket, after_id)
        conversation = queries.chat_conversation(ticket)
        chat.agent_seen(request.user)
        return render(
            request,
            "helpdesk/chat_ticket_poll.html",
            {
                "ticket": ticket,
                "chat": conversation,
                "live": conversation is not None and chat.is_connected(conversation),
                "new_messages": [m for m in new if m.kind != Message.Kind.NOTE],
                "new_notes": [m for m in new if m.kind == Message.Kind.NOTE],
                "after": new[-1].pk if new else after_id,
                "poll": True,
            },
        )


class AgentPresenceView(PermissionRequiredMixin, View):
    """The inbox says every minute that an agent is there: the web chat is staffed."""

    permission = "helpdesk.view_ticket"

    def post(self, request):
        chat.agent_seen(request.user)
        return HttpResponse(status=204)


@require_GET
def widget_js(request):
    """The widget's script for the company's website (public; the same for every channel:
    the script tag's `data-channel` names it)."""
    try:
        code = Path(finders.find("helpdesk/chat-widget.js") or "").read_bytes()
    except OSError as exc:  # pragma: no cover - a broken installation
        raise Http404("chat-widget.js is missing") from exc
    response = HttpResponse(code, content_type="application/javascript; charset=utf-8")
    response["Cache-Control"] = "public, max-age=300"
    response["Access-Control-Allow-Origin"] = "*"
    response["Cross-Origin-Resource-Policy"] = "cross-origin"
    return response


urlpatterns = [
    path("chat/", ChatChannelListView.as_view(), name="chat_channels"),
    path("chat/new/", ChatChannelFormView.as_view(), name="chat_channel_create"),
    path("chat/<int:pk>/", ChatChannelFormView.as_view(), name="chat_channel"),
    path("chat/<int:pk>/preview/", ChatPreviewView.as_view(), name="chat_preview"),
    path("chat/presence/", AgentPresenceView.as_view(), name="chat_presence"),
    path("tickets/<int:pk>/chat/", TicketChatView.as_view(), name="ticket_chat"),
]
