from django.urls import path

from casework import apis

urlpatterns = [
    path("staff/cases/", apis.StaffCaseList.as_view(), name="api-staff-cases"),
    path("staff/cases/<int:pk>/", apis.StaffCaseDetail.as_view(), name="api-staff-case"),
    path("staff/cases/<int:pk>/<slug:action>/", apis.StaffCaseAction.as_view(), name="api-staff-case-action"),
    path(
        "staff/extensions/<int:pk>/<slug:decision>/",
        apis.ExtensionDecision.as_view(),
        name="api-staff-extension-decide",
    ),
]
