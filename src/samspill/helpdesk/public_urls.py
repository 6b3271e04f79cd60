"""The public contact form, mounted at /help/contact/ (no login)."""

from django.urls import path

from samspill.helpdesk import views_public

urlpatterns = [
    path("", views_public.ContactPageView.as_view(), name="helpdesk_contact"),
    path("submit/", views_public.ContactSubmitView.as_view(), name="helpdesk_contact_submit"),
    path("token/", views_public.ContactTokenView.as_view(), name="helpdesk_contact_token"),
]
