import os

from django.urls import path

from feedback import apis

app_name = "feedback_api"

urlpatterns = [
    path("submissions/", apis.SubmissionCreateApi.as_view(), name="submission_create"),
    path("submissions/<str:tracking_number>/", apis.SubmissionDetailApi.as_view(), name="submission_detail"),
]

# The benchmark's ceiling: one INSERT and nothing else. Never mounted unless asked for.
if os.environ.get("MINSHENG_BENCH") == "1":
    from feedback.bench_views import bench_insert

    urlpatterns.append(path("bench/insert/", bench_insert, name="bench_insert"))
