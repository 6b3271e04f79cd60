from samspill.platform.context import channel


class ChannelMiddleware:
    """Marks every change made during a request as coming from the UI or the API."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        name = "api" if request.path.startswith("/api/") else "ui"
        with channel(name):
            return self.get_response(request)
