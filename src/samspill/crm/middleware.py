"""CORS for the public web-lead API only, so a website's own JavaScript (the script snippet
on the CRM settings page) may fetch a form token and post a lead from the visitor's browser.
No cookies or credentials are involved; every other path is left alone."""

from __future__ import annotations

from django.http import HttpResponse

PUBLIC_PREFIX = "/api/v1/crm/web-leads"


class WebLeadCorsMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if not request.path.startswith(PUBLIC_PREFIX):
            return self.get_response(request)
        if request.method == "OPTIONS" and "HTTP_ACCESS_CONTROL_REQUEST_METHOD" in request.META:
            response = HttpResponse(status=204)
            response["Access-Control-Allow-Methods"] = "GET, POST, OPTIONS"
            response["Access-Control-Allow-Headers"] = "Content-Type"
            response["Access-Control-Max-Age"] = "86400"
        else:
            response = self.get_response(request)
        response["Access-Control-Allow-Origin"] = "*"
        response["Access-Control-Expose-Headers"] = "Content-Type"
        return response
