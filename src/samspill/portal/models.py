"""The customer portal: which contact persons may sign in (PortalAccess), the one-time
sign-in links e-mailed to them (LoginToken) and their signed-in sessions (PortalSession).
Tokens and session keys are stored only as SHA-256 hashes. Written by portal.services only."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PortalAccess(models.Model):
    """A contact person may use the portal. They see the records of `customer`: their
    organisation, or themselves when they are a consumer customer."""

    person = models.OneToOneField(
        "parties.Party",
        verbose_name=_("contact person"),
        on_delete=models.CASCADE,
        related_name="+",
    )
    customer = models.ForeignKey(
        "parties.Party", verbose_name=_("customer"), on_delete=models.CASCADE, related_name="+"
    )
    email = models.EmailField(_("email"))
    language = models.CharField(
        _("language"), max_length=2, choices=settings.LANGUAGES, default="nb"
    )
    is_active = models.BooleanField(_("active"), default=True)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("invited by"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    invited_at = models.DateTimeField(_("invited"))
    revoked_at = models.DateTimeField(_("revoked"), null=True, blank=True)
    last_login_at = models.DateTimeField(_("last sign-in"), null=True, blank=True)

    class Meta:
        verbose_name = _("portal access")
        verbose_name_plural = _("portal accesses")
        ordering = ["email"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"], condition=Q(is_active=True), name="portal_one_active_email"
            )
        ]
        indexes = [models.Index(fields=["customer"], name="portal_access_customer")]

    def __str__(self) -> str:
        return self.email


class LoginToken(models.Model):
    """A single-use sign-in link: valid for 15 minutes, consumed once."""

    access = models.ForeignKey(PortalAccess, on_delete=models.CASCADE, related_name="tokens")
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("sign-in link")
        verbose_name_plural = _("sign-in links")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.access_id}: {self.created_at:%Y-%m-%d %H:%M}"


class PortalSession(models.Model):
    """A signed-in customer: the cookie carries the key, the table its hash. Apart from the
    staff's Django session, so the two never share a login or permissions."""

    access = models.ForeignKey(PortalAccess, on_delete=models.CASCADE, related_name="sessions")
    key_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField()
    expires_at = models.DateTimeField()

    class Meta:
        verbose_name = _("portal session")
        verbose_name_plural = _("portal sessions")
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"{self.access_id}: {self.created_at:%Y-%m-%d %H:%M}"
