from django.urls import path

from routing import views

app_name = "routing"

urlpatterns = [
    path("", views.deadline_board, name="deadline_board"),
]
