from django.urls import path

from surges import apis

urlpatterns = [
    path("surge-alerts/", apis.SurgeAlertList.as_view(), name="api-surge-alerts"),
    path("surge-alerts/<int:pk>/", apis.SurgeAlertDetail.as_view(), name="api-surge-alert"),
]
