from django.urls import re_path

from open311 import apis

app_name = "open311"

FORMAT = r"\.(?P<fmt>json|xml)$"

urlpatterns = [
    re_path(r"^discovery" + FORMAT, apis.DiscoveryView.as_view(), name="discovery"),
    re_path(r"^services" + FORMAT, apis.ServiceListView.as_view(), name="services"),
    re_path(r"^services/(?P<service_code>[^/]+?)" + FORMAT, apis.ServiceDefinitionView.as_view(), name="service"),
    re_path(r"^requests" + FORMAT, apis.RequestListView.as_view(), name="requests"),
    re_path(r"^requests/(?P<service_request_id>[^/]+?)" + FORMAT, apis.RequestDetailView.as_view(), name="request"),
    re_path(r"^tokens/(?P<token>[^/]+?)" + FORMAT, apis.TokenView.as_view(), name="token"),
]
