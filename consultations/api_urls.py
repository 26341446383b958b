from django.urls import path

from consultations import apis

urlpatterns = [
    path("consultations/", apis.ConsultationListApi.as_view(), name="api-consultations"),
    path("consultations/<int:pk>/", apis.ConsultationDetailApi.as_view(), name="api-consultation"),
    path("consultations/<int:pk>/themes/", apis.ConsultationThemesApi.as_view(), name="api-consultation-themes"),
    path("consultations/<int:pk>/suggestions/", apis.SuggestionListApi.as_view(), name="api-consultation-suggestions"),
    path("consultations/<int:pk>/close/", apis.ConsultationCloseApi.as_view(), name="api-consultation-close"),
    path("consultations/<int:pk>/groups/", apis.GroupListApi.as_view(), name="api-consultation-groups"),
    path(
        "consultations/<int:pk>/groups/confirm/", apis.GroupConfirmApi.as_view(), name="api-consultation-groups-confirm"
    ),
    path("suggestions/<str:reference>/", apis.SuggestionPrivateApi.as_view(), name="api-suggestion"),
    path("suggestions/<str:reference>/supports/", apis.SupportRequestApi.as_view(), name="api-suggestion-support"),
    path("suggestions/<str:reference>/moderate/", apis.SuggestionModerateApi.as_view(), name="api-suggestion-moderate"),
    path("supports/confirm/", apis.SupportConfirmApi.as_view(), name="api-support-confirm"),
    path("suggestion-groups/<int:pk>/answer/", apis.GroupAnswerApi.as_view(), name="api-group-answer"),
    path("consultation-answers/<int:pk>/progress/", apis.AnswerProgressApi.as_view(), name="api-answer-progress"),
]
