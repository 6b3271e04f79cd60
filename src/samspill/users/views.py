"""Pages of the users app: sign-in and passwords, the profile with personal access tokens,
and the administrators' user pages. Thin adapters over users.services."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth import views as auth_views
from django.contrib.auth.mixins import LoginRequiredMixin
from django.http import Http404, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View

from samspill.platform import audit
from samspill.platform.errors import DomainError, NotFound
from samspill.platform.permissions import allowed
from samspill.platform.timeline import timeline
from samspill.platform.views import ListPage, PermissionRequiredMixin, form_errors_from
from samspill.users import forms, queries, services
from samspill.users.filters import UserFilter
from samspill.users.registry import profile_panels
from samspill.users.tables import UserTable


def found(query, *args):
    """Run a query that raises NotFound; a missing record is a 404 page."""
    try:
        return query(*args)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc


# --- Sign-in and passwords -------------------------------------------------------------------


class LoginView(auth_views.LoginView):
    template_name = "users/login.html"
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        limit = settings.AXES_FAILURE_LIMIT
        context["failure_limit"] = limit if isinstance(limit, int) else None
        return context


class LogoutView(auth_views.LogoutView):
    pass


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "users/password_change.html"
    form_class = forms.PasswordChangeForm
    success_url = reverse_lazy("users:password_change_done")

    def form_valid(self, form):
        try:
            user = services.change_password(
                self.request.user, form.cleaned_data["new_password1"], actor=self.request.user
            )
        except DomainError as exc:
            form_errors_from(form, exc)
            return self.form_invalid(form)
        update_session_auth_hash(self.request, user)
        return HttpResponseRedirect(self.get_success_url())


class PasswordResetView(auth_views.PasswordResetView):
    template_name = "users/password_reset.html"
    form_class = forms.PasswordResetForm
    email_template_name = "users/password_reset_email.txt"
    subject_template_name = "users/password_reset_subject.txt"
    success_url = reverse_lazy("users:password_reset_done")


class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "users/password_reset_confirm.html"
    form_class = forms.SetPasswordForm
    success_url = reverse_lazy("users:password_reset_complete")

    def form_valid(self, form):
        try:
            services.change_password(
                form.user, form.cleaned_data["new_password1"], actor=form.user, by_reset=True
            )
        except DomainError as exc:
            form_errors_from(form, exc)
            return self.form_invalid(form)
        self.request.session.pop(auth_views.INTERNAL_RESET_SESSION_TOKEN, None)
        return HttpResponseRedirect(self.get_success_url())


# --- Profile and personal access tokens ------------------------------------------------------


def _profile_context(request, **extra):
    me = queries.me(request.user)
    context = {
        "title": _("Profile"),
        "profile": me,
        "roles": me.role_names,
        "panels": profile_panels(request.user, me),
        "tokens": queries.tokens_of(me),
        "profile_form": forms.ProfileForm(initial=forms.ProfileForm.initial_for(me)),
        "token_form": forms.TokenForm(),
    }
    context.update(extra)
    return context


class ProfileView(LoginRequiredMixin, View):
    def get(self, request):
        return render(request, "users/profile.html", _profile_context(request))

    def post(self, request):
        form = forms.ProfileForm(request.POST)
        if form.is_valid():
            try:
                user = services.update_profile(
                    request.user, actor=request.user, **form.cleaned_data
                )
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                # The new language applies at once, starting with this confirmation.
                translation.activate(user.language)
                messages.success(request, _("Your profile was saved."))
                return redirect("users:profile")
        return render(
            request, "users/profile.html", _profile_context(request, profile_form=form), status=422
        )


class TokenCreateView(LoginRequiredMixin, View):
    def get(self, request):
        return redirect(reverse("users:profile") + "#tokens")

    def post(self, request):
        form = forms.TokenForm(request.POST)
        if form.is_valid():
            try:
                token, raw = services.create_access_token(
                    request.user,
                    actor=request.user,
                    name=form.cleaned_data["name"],
                    days=form.cleaned_data["days"],
                )
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                response = render(
                    request,
                    "users/token_created.html",
                    {"title": _("Access token created"), "token": token, "raw": raw},
                    status=201,
                )
                # The raw token is shown once: never from a cache or the back button.
                response["Cache-Control"] = "no-store"
                return response
        return render(
            request, "users/profile.html", _profile_context(request, token_form=form), status=422
        )


class TokenRevokeView(LoginRequiredMixin, View):
    def get(self, request, pk):
        token = found(queries.token_of, request.user, pk)
        return render(
            request,
            "users/token_revoke.html",
            {
                "title": _("Revoke access token"),
                "token": token,
                "cancel_url": reverse("users:profile") + "#tokens",
            },
        )

    def post(self, request, pk):
        token = found(queries.token_of, request.user, pk)
        try:
            services.revoke_token(token, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("The access token “%(name)s” was revoked.") % {"name": token.name}
            )
        return redirect(reverse("users:profile") + "#tokens")


# --- Administration of users -----------------------------------------------------------------


class UserListPage(ListPage):
    permission = "users.view_user"
    table_class = UserTable
    filterset_class = UserFilter
    title = gettext_lazy("Users")
    create_url = "users:user_create"
    create_permission = "users.add_user"
    export_name = "users"

    def get_queryset(self):
        return queries.users()


class UserCreateView(PermissionRequiredMixin, View):
    permission = "users.add_user"

    def get(self, request):
        return self.show(forms.UserCreateForm())

    def show(self, form, status=200):
        return render(
            self.request,
            "users/user_form.html",
            {"title": _("New user"), "form": form, "is_new": True},
            status=status,
        )

    def post(self, request):
        form = forms.UserCreateForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                user = services.create_user(
                    actor=request.user,
                    username=data["username"],
                    password=data["password1"] or None,
                    email=data["email"],
                    first_name=data["first_name"],
                    last_name=data["last_name"],
                    language=data["language"],
                    time_zone=data["time_zone"],
                    roles=data["roles"],
                )
            except DomainError as exc:
                if "password" in exc.errors:
                    exc.errors["password1"] = exc.errors.pop("password")
                form_errors_from(form, exc)
            else:
                messages.success(request, _("User %(user)s was created.") % {"user": user})
                return redirect("users:user_detail", pk=user.pk)
        return self.show(form, status=422)


class UserDetailView(PermissionRequiredMixin, View):
    permission = "users.view_user"

    def get(self, request, pk):
        user = found(queries.user, pk, request.user)
        can_revoke = allowed(request.user, "users.revoke_accesstoken")
        return render(
            request,
            "users/user_detail.html",
            {
                "title": str(user),
                "subject": user,
                "panels": profile_panels(request.user, user),
                "can_change": allowed(request.user, "users.change_user"),
                "tokens": queries.tokens_of(user) if can_revoke else None,
                "history": audit.history(user)[:50],
                "entries": timeline("user", user.pk, limit=20),
            },
        )


class UserEditView(PermissionRequiredMixin, View):
    permission = "users.change_user"

    def show(self, user, form, status=200):
        return render(
            self.request,
            "users/user_form.html",
            {"title": _("Edit %(user)s") % {"user": user}, "form": form, "subject": user},
            status=status,
        )

    def get(self, request, pk):
        user = found(queries.user, pk, request.user)
        return self.show(user, forms.UserEditForm(initial=forms.UserEditForm.initial_for(user)))

    def post(self, request, pk):
        user = found(queries.user, pk, request.user)
        form = forms.UserEditForm(request.POST)
        if form.is_valid():
            try:
                services.update_user(user, actor=request.user, **form.cleaned_data)
            except DomainError as exc:
                form_errors_from(form, exc)
            else:
                messages.success(request, _("User %(user)s was saved.") % {"user": user})
                return redirect("users:user_detail", pk=user.pk)
        return self.show(user, form, status=422)


class UserDeactivateView(PermissionRequiredMixin, View):
    permission = "users.change_user"

    def get(self, request, pk):
        user = found(queries.user, pk, request.user)
        return render(
            request,
            "users/user_deactivate.html",
            {"title": _("Deactivate %(user)s") % {"user": user}, "subject": user},
        )

    def post(self, request, pk):
        user = found(queries.user, pk, request.user)
        try:
            services.deactivate_user(user, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("User %(user)s was deactivated.") % {"user": user})
        return redirect("users:user_detail", pk=user.pk)


class UserReactivateView(PermissionRequiredMixin, View):
    permission = "users.change_user"

    def post(self, request, pk):
        user = found(queries.user, pk, request.user)
        try:
            services.reactivate_user(user, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("User %(user)s was reactivated.") % {"user": user})
        return redirect("users:user_detail", pk=user.pk)


class UserTokenRevokeView(PermissionRequiredMixin, View):
    """An administrator revokes someone else's token (e.g. a leaked one)."""

    permission = "users.revoke_accesstoken"

    def get(self, request, pk, token_pk):
        user = found(queries.user, pk, request.user)
        token = found(queries.token_of, user, token_pk)
        return render(
            request,
            "users/token_revoke.html",
            {
                "title": _("Revoke access token"),
                "token": token,
                "owner": user,
                "cancel_url": reverse("users:user_detail", args=[user.pk]),
            },
        )

    def post(self, request, pk, token_pk):
        user = found(queries.user, pk, request.user)
        token = found(queries.token_of, user, token_pk)
        try:
            services.revoke_token(token, actor=request.user)
        except DomainError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(
                request, _("The access token “%(name)s” was revoked.") % {"name": token.name}
            )
        return redirect("users:user_detail", pk=user.pk)
