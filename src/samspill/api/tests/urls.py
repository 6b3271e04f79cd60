"""Test URLconf: the real URLs plus a tiny API with POST endpoints that count their calls,
mounted under /api/ so that the API middleware applies to it."""

from django.http import HttpResponse
from django.urls import include, path
from ninja import NinjaAPI, Schema, Status

from samspill.api import problems
from samspill.api.security import SessionAuth
from samspill.platform import audit
from samspill.platform.pagination import paginate
from samspill.users.auth import TokenAuth

CALLS: list[dict] = []

test_api = NinjaAPI(
    title="test",
    urls_namespace="test-api",
    auth=[TokenAuth(), SessionAuth()],
    docs_url=None,
    openapi_url=None,
)
problems.install(test_api)


class NoteIn(Schema):
    text: str


class NoteOut(Schema):
    id: int
    text: str


class NumberOut(Schema):
    n: int


@test_api.post("/notes", response={201: NoteOut})
def create_note(request, payload: NoteIn):
    """Writes one audit entry per call: the row the idempotency test counts."""
    CALLS.append({"text": payload.text})
    entry = audit.record(
        "create", request.auth, actor=request.auth, changes={"note": [None, payload.text]}
    )
    return Status(201, {"id": entry.pk, "text": payload.text})


@test_api.post("/crash")
def crash(request):
    CALLS.append({"crash": True})
    raise RuntimeError("boom")


@test_api.get("/numbers", response=list[NumberOut])
@paginate
def numbers(request):
    return [{"n": n} for n in range(1, 124)]


def plain_api_view(request):
    return HttpResponse("plain", content_type="text/plain", status=418)


urlpatterns = [
    path("api/test/", test_api.urls),
    path("api/plain/", plain_api_view),
    path("", include("samspill.urls")),
]
