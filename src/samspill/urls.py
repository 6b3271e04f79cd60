from django.conf import settings
from django.contrib import admin
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog

from samspill.api.urls import api
from samspill.helpdesk.views_chat import widget_js

urlpatterns = [
    path("", include("samspill.web.urls")),
    path("", include("samspill.users.urls")),
    path("organization/", include("samspill.organization.urls")),
    path("parties/", include("samspill.parties.urls")),
    path("catalog/", include("samspill.catalog.urls")),
    path("localization/no/", include("samspill.localization.no.urls")),
    path("accounting/reports/saft/", include("samspill.localization.no.saft.urls")),
    path("accounting/", include("samspill.accounting.urls")),
    path("inventory/", include("samspill.inventory.urls")),
    path("purchasing/", include("samspill.purchasing.urls")),
    path("sales/", include("samspill.sales.urls")),
    path("helpdesk/", include("samspill.helpdesk.urls")),
    path("help/contact/", include("samspill.helpdesk.public_urls")),
    path("chat/widget.js", widget_js, name="chat-widget"),
    path("knowledge/", include("samspill.knowledge.urls")),
    path("help/", include("samspill.knowledge.public_urls")),
    path("automation/", include("samspill.automation.urls")),
    path("portal/", include("samspill.portal.urls")),
    path("crm/", include("samspill.crm.urls")),
    path("platform/", include("samspill.platform.urls")),
    path("api/v1/", api.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("admin/", admin.site.urls),
]

if settings.DEBUG:
    from django.conf.urls.static import static

    urlpatterns += static(settings.MEDIA_URL, document_root=settings.MEDIA_ROOT)
