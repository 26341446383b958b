from django.urls import path

from maps import views

app_name = "maps"
urlpatterns = [
    path("hotspots/", views.hotspots, name="hotspots"),
    path("hotspots/cases/", views.hotspot_cases, name="hotspot_cases"),
    path("board/", views.board_map, name="board"),
]
