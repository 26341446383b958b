from django.urls import path

from knowledge import views

app_name = "knowledge"

urlpatterns = [
    path("", views.article_list, name="list"),
    path("new/", views.article_new, name="new"),
    path("<int:pk>/edit/", views.article_edit, name="edit"),
    path("reopened/", views.reopened, name="reopened"),
]
