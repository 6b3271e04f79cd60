"""Django admin: read-only views for operators. Changes go through the Samspill pages and
the API, which use organization.services (audit and events)."""

from django.contrib import admin

from samspill.organization.models import Company, Department, Membership, Team


class ReadOnlyAdmin(admin.ModelAdmin):
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(Company)
class CompanyAdmin(ReadOnlyAdmin):
    list_display = ("legal_name", "org_number", "mva_registered", "base_currency")


@admin.register(Department)
class DepartmentAdmin(ReadOnlyAdmin):
    list_display = ("name", "code", "office", "function")
    list_filter = ("office", "function")
    search_fields = ("name", "code")


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    can_delete = False
    readonly_fields = ("user", "role", "joined_at")

    def has_add_permission(self, request, obj=None):
        return False


@admin.register(Team)
class TeamAdmin(ReadOnlyAdmin):
    list_display = ("name", "department", "lead")
    list_filter = ("department",)
    search_fields = ("name",)
    list_select_related = ("department", "lead")
    inlines = [MembershipInline]
