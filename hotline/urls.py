from django.urls import path

from hotline import views

app_name = "hotline"

urlpatterns = [
    path("", views.console, name="console"),
    path("caller/", views.caller, name="caller"),
    path("assist/", views.assist, name="assist"),
    path("log/", views.log, name="log"),
]
