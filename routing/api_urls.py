from django.urls import path

from routing import record_apis

urlpatterns = [
    path("routing-decisions/", record_apis.RoutingDecisionList.as_view(), name="api-routing-decisions"),
]
