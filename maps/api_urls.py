from django.urls import path

from maps import apis

urlpatterns = [
    path("maps/city/", apis.CityLayers.as_view(), name="api-maps-city"),
    path("maps/locate/", apis.Locate.as_view(), name="api-maps-locate"),
    path("maps/nearby/", apis.Nearby.as_view(), name="api-maps-nearby"),
    path("maps/hotspots/", apis.Hotspots.as_view(), name="api-maps-hotspots"),
    path("maps/board/", apis.BoardPoints.as_view(), name="api-maps-board"),
]
