from django.urls import path

from feedback import views

app_name = "feedback"

urlpatterns = [
    path("submit/", views.submit, name="submit"),
    path("submit/done/", views.submit_done, name="submit_done"),
    path("track/", views.track, name="track"),
    path("track/<str:tracking_number>/", views.track_detail, name="track_detail"),
    path("track/<str:tracking_number>/rate/", views.track_rate, name="track_rate"),
    path("track/<str:tracking_number>/reopen/", views.track_reopen, name="track_reopen"),
    path("track/<str:tracking_number>/material/", views.track_material, name="track_material"),
    path("t/<str:tracking_number>/<str:secret>/", views.track_link, name="track_link"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("board/", views.board, name="board"),
    path("board/<str:tracking_number>/", views.board_detail, name="board_detail"),
]
