from django.urls import path

from feedback import my_cases, views

app_name = "feedback"

urlpatterns = [
    path("submit/", views.submit, name="submit"),
    path("submit/done/", views.submit_done, name="submit_done"),
    path("track/", views.track, name="track"),
    path("track/<str:tracking_number>/", views.track_detail, name="track_detail"),
    path("track/<str:tracking_number>/rate/", views.track_rate, name="track_rate"),
    path("track/<str:tracking_number>/reopen/", views.track_reopen, name="track_reopen"),
    path("track/<str:tracking_number>/material/", views.track_material, name="track_material"),
    path("track/<str:tracking_number>/urge/", views.track_urge, name="track_urge"),
    path("track/<str:tracking_number>/withdraw/", views.track_withdraw, name="track_withdraw"),
    path("my-cases/", my_cases.my_cases_start, name="my_cases"),
    path("my-cases/code/", my_cases.my_cases_code, name="my_cases_code"),
    path("my-cases/list/", my_cases.my_cases_list, name="my_cases_list"),
    path("my-cases/leave/", my_cases.my_cases_leave, name="my_cases_leave"),
    path("my-cases/open/<str:tracking_number>/", my_cases.my_cases_open, name="my_cases_open"),
    path("t/<str:tracking_number>/<str:secret>/", views.track_link, name="track_link"),
    path("attachments/<int:pk>/", views.attachment_download, name="attachment"),
    path("board/", views.board, name="board"),
    path("board/<str:tracking_number>/", views.board_detail, name="board_detail"),
]
