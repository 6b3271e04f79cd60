"""CORS for the chat widget's public API (`/api/v1/helpdesk/chat/<key>/...`): a browser page
on one of the channel's allowed websites may call it; the answer names that origin (never
`*`) and no cookies are involved. Preflight requests (the widget sends `X-Chat-Token` and
JSON) are answered here. Every other path is left alone."""

from __future__ import annotations

from django.http import HttpResponse
from django.utils.cache import patch_vary_headers

from samspill.helpdesk.models import ChatChannel

PREFIX = "/api/v1/helpdesk/chat/"


def _allowed_origin(request) -> str:
    origin = request.headers.get("Origin", "")
    key = request.path[len(PREFIX) :].split("/", 1)[0]
    if not origin or not key or key == "channels" or len(key) > 40:
        return ""
    channel = ChatChannel.objects.filter(key=key, is_active=True).only("allowed_origins").first()
    if channel is None or origin.rstrip("/").lower() not in channel.origins:
        return ""
    return origin


class ChatCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PREFIX):
            return self.get_response(request)
        origin = _allowed_origin(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            if origin:
                response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
                response["Access-Control-Allow-Headers"] = "Content-Type, X-Chat-Token"
                response["Access-Control-Max-Age"] = "600"
        else:
            response = self.get_response(request)
        if origin:
            response["Access-Control-Allow-Origin"] = origin
        patch_vary_headers(response, ("Origin",))
        return response
