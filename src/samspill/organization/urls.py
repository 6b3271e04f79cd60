from django.urls import path

from samspill.organization import views

app_name = "organization"
urlpatterns = [
    path("", views.OverviewView.as_view(), name="overview"),
    path("company/", views.CompanyEditView.as_view(), name="company_edit"),
    path("departments/", views.DepartmentListPage.as_view(), name="department_list"),
    path("departments/new/", views.DepartmentCreateView.as_view(), name="department_create"),
    path("departments/<int:pk>/", views.DepartmentDetailView.as_view(), name="department_detail"),
    path("departments/<int:pk>/edit/", views.DepartmentEditView.as_view(), name="department_edit"),
    path(
        "departments/<int:pk>/delete/",
        views.DepartmentDeleteView.as_view(),
        name="department_delete",
    ),
    path("teams/", views.TeamListPage.as_view(), name="team_list"),
    path("teams/new/", views.TeamCreateView.as_view(), name="team_create"),
    path("teams/<int:pk>/", views.TeamDetailView.as_view(), name="team_detail"),
    path("teams/<int:pk>/edit/", views.TeamEditView.as_view(), name="team_edit"),
    path("teams/<int:pk>/delete/", views.TeamDeleteView.as_view(), name="team_delete"),
    path("teams/<int:pk>/members/", views.MemberAddView.as_view(), name="member_add"),
    path(
        "teams/<int:pk>/members/<int:user_id>/role/",
        views.MemberRoleView.as_view(),
        name="member_role",
    ),
    path(
        "teams/<int:pk>/members/<int:user_id>/remove/",
        views.MemberRemoveView.as_view(),
        name="member_remove",
    ),
]
