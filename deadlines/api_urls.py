from django.urls import path

from deadlines import apis

urlpatterns = [
    path("escalations/", apis.EscalationList.as_view(), name="api-escalations"),
]
