from django.urls import path

from routing import apis

urlpatterns = [
    path("staff/cases/", apis.StaffCaseList.as_view(), name="api-staff-cases"),
    path("staff/cases/<int:pk>/", apis.StaffCaseDetail.as_view(), name="api-staff-case"),
    path("staff/cases/<int:pk>/<slug:action>/", apis.StaffCaseAction.as_view(), name="api-staff-case-action"),
]
urlpatterns += [
    path(
        "staff/extensions/<int:pk>/<slug:decision>/",
        apis.ExtensionDecision.as_view(),
        name="api-staff-extension-decide",
    ),
]

from routing import record_apis  # noqa: E402

urlpatterns += [
    path("routing-decisions/", record_apis.RoutingDecisionList.as_view(), name="api-routing-decisions"),
    path("escalations/", record_apis.EscalationList.as_view(), name="api-escalations"),
]
