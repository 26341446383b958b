from django.urls import path

from surges import views

app_name = "surges"

urlpatterns = [
    path("", views.alert_list, name="list"),
    path("<int:alert_id>/", views.alert_detail, name="detail"),
    path("<int:alert_id>/merge/", views.alert_merge, name="merge"),
    path("<int:alert_id>/dismiss/", views.alert_dismiss, name="dismiss"),
    path("incidents/<int:incident_id>/", views.incident_detail, name="incident"),
    path("incidents/propose/<int:submission_id>/", views.incident_propose, name="propose"),
]
