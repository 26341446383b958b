from django.contrib import admin
from django.http import HttpResponsePermanentRedirect
from django.templatetags.static import static
from django.urls import include, path
from django.views.i18n import JavaScriptCatalog
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView

from accounts.apis import TokenObtainView
from oversight import views as oversight_views
from portal import views
from portal.api_edges import ApiRoot, RedocView

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", views.healthz, name="healthz"),
    # Browsers ask for /favicon.ico whatever the page says.
    path("favicon.ico", lambda request: HttpResponsePermanentRedirect(static("favicon.ico")), name="favicon"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jsi18n/", JavaScriptCatalog.as_view(), name="javascript-catalog"),
    path("accounts/", include("accounts.urls")),
    path("admin/", admin.site.urls),
    # Pages: citizens (feedback), staff and dispatchers (casework), deadlines, oversight, surges.
    path("", include("feedback.urls")),
    path("", include("casework.urls")),
    path("deadlines/", include("deadlines.urls")),
    path("oversight/", include("oversight.urls")),
    path("scoreboard/", oversight_views.scoreboard, name="scoreboard"),
    path("surges/", include("surges.urls")),
    path("consultations/", include("consultations.urls")),
    path("hotline/", include("hotline.urls")),
    path("knowledge/", include("knowledge.urls")),
    path("maps/", include("maps.urls")),
    # REST API v1, its schema and docs (the split Swagger view keeps scripts out of the page, for the CSP).
    path("api/schema/", SpectacularAPIView.as_view(), name="api-schema"),
    path("api/docs/", SpectacularSwaggerSplitView.as_view(url_name="api-schema"), name="api-docs"),
    # ReDoc without inline scripts, with the worker and styles it needs allowed on that page only.
    path("api/redoc/", RedocView.as_view(url_name="api-schema"), name="api-redoc"),
    path("api/v1/", ApiRoot.as_view(), name="api-root"),
    path("api/v1/auth/token/", TokenObtainView.as_view(), name="api-token"),
    path("api/v1/", include("feedback.api_urls")),
    path("api/v1/", include("casework.api_urls")),
    path("api/v1/", include("routing.api_urls")),
    path("api/v1/", include("deadlines.api_urls")),
    path("api/v1/", include("city.api_urls")),
    path("api/v1/", include("oversight.api_urls")),
    path("api/v1/", include("surges.api_urls")),
    path("api/v1/", include("consultations.api_urls")),
    path("api/v1/", include("maps.api_urls")),
    # Open311 GeoReport v2.
    path("open311/v2/", include("open311.urls")),
]

handler404 = "portal.views.page_not_found"
