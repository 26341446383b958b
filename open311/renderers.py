"""JSON and XML as GeoReport v2 clients expect them, in UTF-8."""

from __future__ import annotations

from xml.etree import ElementTree

from rest_framework.renderers import BaseRenderer, JSONRenderer

from portal.cleaning import xml_safe

# The element name of one item of each list, by the list's name.
ITEM_NAMES = {
    "services": "service",
    "service_requests": "request",
    "errors": "error",
    "attributes": "attribute",
    "values": "value",
    "endpoints": "endpoint",
    "formats": "format",
    "notes": "note",
}


class Open311JSONRenderer(JSONRenderer):
    format = "json"
    media_type = "application/json"
    charset = "utf-8"


def _text(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    # Stored text may hold control characters (a citizen's paste) that XML 1.0 cannot carry.
    return xml_safe(str(value))


def _fill(element: ElementTree.Element, value, name: str) -> None:
    if isinstance(value, dict):
        for key, child in value.items():
            _fill(ElementTree.SubElement(element, key), child, key)
    elif isinstance(value, list):
        item_name = ITEM_NAMES.get(name, "item")
        for item in value:
            _fill(ElementTree.SubElement(element, item_name), item, item_name)
    else:
        element.text = _text(value)


def to_xml(data, root: str) -> bytes:
    element = ElementTree.Element(root)
    _fill(element, data, root)
    # The spec asks for this exact declaration before the root element.
    return b'<?xml version="1.0" encoding="UTF-8"?>\n' + ElementTree.tostring(element, encoding="utf-8")


class Open311XMLRenderer(BaseRenderer):
    """The view names the root element (``xml_root``); list items follow ``ITEM_NAMES``."""

    format = "xml"
    media_type = "text/xml"
    charset = "utf-8"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        view = (renderer_context or {}).get("view")
        root = getattr(view, "xml_root", "response")
        return to_xml(data, root)
