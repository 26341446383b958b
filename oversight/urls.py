from django.urls import path

from oversight import views

app_name = "oversight"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("cases/", views.cases, name="cases"),
    path("cases.csv", views.cases_csv, name="cases_csv"),
    path("cases/<int:pk>/", views.case_detail, name="case"),
    path("kpis/", views.kpis, name="kpis"),
    path("digest/", views.digest, name="digest"),
    path("digest/pdf/", views.digest_pdf, name="digest_pdf"),
]
