from django.urls import path

from casework import email_views, views

app_name = "casework"

urlpatterns = [
    path("staff/", views.inbox, name="inbox"),
    path("staff/home/", views.role_home, name="home"),
    path("staff/cases/<int:pk>/", views.case_detail, name="case"),
    path("staff/cases/<int:pk>/contact/", views.case_contact, name="contact"),
    path("staff/cases/<int:pk>/act/<slug:action>/", views.case_act, name="act"),
    path("staff/notifications/", views.notification_list, name="notifications"),
    path("staff/notifications/read/", views.notifications_read, name="notifications_read"),
    path("staff/email/<str:token>/", email_views.email_case, name="email_case"),
    path("staff/email/<str:token>/<slug:action>/", email_views.email_act, name="email_act"),
    path("dispatch/", views.triage_queue, name="triage"),
    path("dispatch/returns/", views.returns_queue, name="returns"),
    path("dispatch/deliveries/<int:pk>/retry/", views.delivery_retry, name="delivery_retry"),
    path("supervise/", views.supervise, name="supervise"),
    path("supervise/extensions/<int:pk>/<slug:decision>/", views.extension_decide, name="extension_decide"),
]
