"""/api/v1/helpdesk/chat: the web chat widget's endpoints (public, no login) and the chat
channels' setup (management).

The widget's endpoints are under the channel's key: `/chat/{key}/...`. A visitor is known by
the token the first message returns (header `X-Chat-Token`), a signed random id of their
conversation; ticket ids never leave Samspill. Browsers may call them only from the
channel's allowed websites (CORS answered by `samspill.helpdesk.chat_cors`); a request from
another page's origin is refused (403 `origin_not_allowed`)."""

from datetime import datetime

from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from ninja.responses import Status

from samspill.helpdesk import queries
from samspill.helpdesk.models import ChatChannel
from samspill.helpdesk.services import chat
from samspill.platform.errors import NotFound
from samspill.platform.permissions import require

router = Router(tags=["helpdesk chat"])

TOKEN_HEADER = "X-Chat-Token"  # noqa: S105 - a header name


class ChatWidgetConfigOut(Schema):
    name: str
    greeting: str
    offline_message: str
    online: bool = Field(..., description="Agents are there now; otherwise answers come by e-mail.")
    require_email: bool
    max_length: int


class ChatStartIn(Schema):
    message: str = Field(..., max_length=chat.MAX_MESSAGE * 2)
    name: str = Field("", max_length=200)
    email: str = Field("", max_length=254)
    page_url: str = Field("", max_length=2000)
    language: str = Field("", max_length=20)


class ChatMessageIn(Schema):
    message: str = Field(..., max_length=chat.MAX_MESSAGE * 2)


class ChatVisitorMessageOut(Schema):
    id: int = Field(..., description="A cursor for `after`.")
    who: str = Field(..., description="visitor or agent")
    name: str
    text: str = Field(..., description="Plain text: show it as text, never as HTML.")
    at: datetime


class ChatStartedOut(Schema):
    token: str = Field(..., description=f"Send it as the {TOKEN_HEADER} header from now on.")
    online: bool
    messages: list[ChatVisitorMessageOut]


class ChatPollOut(Schema):
    messages: list[ChatVisitorMessageOut]
    ended: bool


class ChatEndOut(Schema):
    ended: bool


def _own_origin(request) -> str:
    return f"{request.scheme}://{request.get_host()}"


def _channel(request, key: str) -> ChatChannel:
    channel = chat.active_channel(key)
    chat.check_origin(channel, request.headers.get("Origin", ""), _own_origin(request))
    return channel


def _conversation(request, key: str):
    channel = _channel(request, key)
    return chat.conversation_for(channel, request.headers.get(TOKEN_HEADER, ""))


@router.get(
    "/{key}/config",
    response=ChatWidgetConfigOut,
    auth=None,
    summary="The chat widget's settings (public)",
)
def chat_config(request, key: str):
    return chat.widget_config(_channel(request, key))


@router.post(
    "/{key}/conversations",
    response={201: ChatStartedOut},
    auth=None,
    summary="Start a chat with the first message (public)",
)
def chat_start(request, key: str, payload: ChatStartIn):
    """Opens a ticket (channel chat) in the channel's queue. `email` is required when the
    channel asks for it or nobody is online (then the answer comes by e-mail). At most a few
    new chats per address in ten minutes (429 `rate_limited`)."""
    channel = _channel(request, key)
    started = chat.start_conversation(
        channel,
        client=request.META.get("REMOTE_ADDR", ""),
        **payload.model_dump(),
    )
    return Status(
        201,
        {
            "token": started.token,
            "online": not started.conversation.offline,
            "messages": chat.visitor_messages(started.conversation),
        },
    )


@router.get(
    "/{key}/messages",
    response=ChatPollOut,
    auth=None,
    summary="New messages of the visitor's chat (public; poll every 2-3 s)",
)
def chat_poll(request, key: str, after: int = 0):
    return chat.visitor_poll(_conversation(request, key), after=after)


@router.post(
    "/{key}/messages",
    response={201: ChatVisitorMessageOut},
    auth=None,
    summary="The visitor writes (public)",
)
def chat_write(request, key: str, payload: ChatMessageIn):
    """409 `chat_ended` when the chat is over: start a new one."""
    conversation = _conversation(request, key)
    message = chat.visitor_write(conversation, message=payload.message)
    return Status(201, chat.visitor_messages(conversation, message.pk - 1)[0])


@router.post(
    "/{key}/end", response=ChatEndOut, auth=None, summary="The visitor ends the chat (public)"
)
def chat_end(request, key: str):
    chat.visitor_end(_conversation(request, key))
    return {"ended": True}


# --- Setup ----------------------------------------------------------------------------------------


class ChatChannelOut(Schema):
    id: int
    name: str
    key: str = Field(..., description="data-channel of the script tag")
    queue_id: int
    allowed_origins: list[str] = Field(..., alias="origins")
    greeting: str
    offline_message: str
    require_email: bool
    follow_opening_hours: bool
    agent_idle_minutes: int
    is_active: bool
    online: bool


class ChatChannelIn(Schema):
    name: str = Field(..., max_length=100)
    queue_id: int
    allowed_origins: list[str] = Field(default_factory=list, max_length=chat.MAX_ORIGINS)
    greeting: str = Field("", max_length=chat.MAX_GREETING)
    offline_message: str = Field("", max_length=chat.MAX_GREETING)
    require_email: bool = True
    follow_opening_hours: bool = True
    agent_idle_minutes: int = 15
    is_active: bool = True


class ChatChannelPatch(Schema):
    name: str | None = Field(None, max_length=100)
    queue_id: int | None = None
    allowed_origins: list[str] | None = Field(None, max_length=chat.MAX_ORIGINS)
    greeting: str | None = Field(None, max_length=chat.MAX_GREETING)
    offline_message: str | None = Field(None, max_length=chat.MAX_GREETING)
    require_email: bool | None = None
    follow_opening_hours: bool | None = None
    agent_idle_minutes: int | None = None
    is_active: bool | None = None


def _out(channel: ChatChannel) -> dict:
    fields = (
        "id",
        "name",
        "key",
        "queue_id",
        "greeting",
        "offline_message",
        "require_email",
        "follow_opening_hours",
        "agent_idle_minutes",
        "is_active",
    )
    data = {field: getattr(channel, field) for field in fields}
    data["origins"] = channel.origins
    data["online"] = chat.is_online(channel)
    return data


def _changes(data: dict) -> dict:
    if "queue_id" in data:
        data["queue"] = data.pop("queue_id")
    if "allowed_origins" in data:
        data["allowed_origins"] = "\n".join(data["allowed_origins"] or [])
    return data


def _get(request, channel_id: int) -> ChatChannel:
    require(request.user, "helpdesk.view_chatchannel")
    channel = queries.chat_channels().filter(pk=channel_id).first()
    if channel is None:
        raise NotFound(_("There is no chat channel with this id."), code="chat_channel_not_found")
    return channel


@router.get("/channels", response=list[ChatChannelOut], summary="Chat channels (widgets)")
def list_chat_channels(request):
    require(request.user, "helpdesk.view_chatchannel")
    return [_out(c) for c in queries.chat_channels()]


@router.post("/channels", response={201: ChatChannelOut}, summary="Add a chat channel")
def create_chat_channel(request, payload: ChatChannelIn):
    channel = chat.create_chat_channel(actor=request.user, **_changes(payload.model_dump()))
    return Status(201, _out(_get(request, channel.pk)))


@router.get("/channels/{channel_id}", response=ChatChannelOut, summary="A chat channel")
def get_chat_channel(request, channel_id: int):
    return _out(_get(request, channel_id))


@router.patch("/channels/{channel_id}", response=ChatChannelOut, summary="Change a chat channel")
def patch_chat_channel(request, channel_id: int, payload: ChatChannelPatch):
    channel = _get(request, channel_id)
    chat.update_chat_channel(
        channel, actor=request.user, **_changes(payload.model_dump(exclude_unset=True))
    )
    return _out(_get(request, channel_id))
