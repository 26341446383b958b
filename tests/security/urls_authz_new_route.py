"""The project's URLs plus one route nobody put in the authorization matrix (for its self-test)."""

from django.http import HttpResponse
from django.urls import path

from portal.urls import urlpatterns as project_urlpatterns


def brand_new(request):
    return HttpResponse("not in the matrix")


urlpatterns = [*project_urlpatterns, path("brand-new/<int:pk>/", brand_new, name="brand-new")]
