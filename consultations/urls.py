from django.urls import path

from consultations import views

app_name = "consultations"

urlpatterns = [
    path("", views.consultation_list, name="list"),
    path("<int:pk>/", views.consultation_detail, name="detail"),
    path("<int:pk>/suggest/", views.suggest, name="suggest"),
    path("attachments/<int:pk>/", views.attachment, name="attachment"),
    path("suggested/", views.suggest_done, name="suggest_done"),
    # "/t/<reference>/<secret>/": the log filter that hides tracking secrets hides this one too.
    path("t/<str:reference>/<str:secret>/", views.private_link, name="private_link"),
    path("mine/<str:reference>/", views.mine, name="mine"),
    path("support/confirm/", views.support_confirm, name="support_confirm"),
    path("support/<str:reference>/", views.support, name="support"),
    # The office.
    path("office/", views.mine_staff, name="office"),
    path("office/new/", views.consultation_new, name="new"),
    path("office/<int:pk>/", views.manage, name="manage"),
    path("office/<int:pk>/close/", views.close, name="close"),
    path("office/<int:pk>/confirm-groups/", views.confirm_groups, name="confirm_groups"),
    path("office/suggestions/<int:pk>/moderate/", views.moderate, name="moderate"),
    path("office/suggestions/<int:pk>/restore/", views.restore, name="restore"),
    path("office/suggestions/<int:pk>/regroup/", views.regroup, name="regroup"),
    path("office/groups/<int:pk>/answer/", views.answer, name="answer"),
    path("office/answers/<int:pk>/progress/", views.progress, name="progress"),
    path("office/supports/<int:pk>/void/", views.void_support, name="void_support"),
]
