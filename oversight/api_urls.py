from django.urls import path

from oversight import apis

urlpatterns = [path("kpis/", apis.KpiApi.as_view(), name="api-kpis")]
