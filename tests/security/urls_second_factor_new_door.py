"""The project's URLs plus a careless new sign-in route that checks the password and nothing else."""

from django.contrib.auth import authenticate, login
from django.http import HttpResponse, JsonResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from portal.urls import urlpatterns as project_urlpatterns


@csrf_exempt
def careless_login(request):
    user = authenticate(request, username=request.POST.get("username"), password=request.POST.get("password"))
    if user is None:
        return JsonResponse({"ok": False}, status=400)
    login(request, user)
    return HttpResponse("signed in")


urlpatterns = [*project_urlpatterns, path("quick-login/", careless_login, name="quick-login")]
