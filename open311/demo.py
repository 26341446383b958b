"""Open311 demo data: a service that asks for extra fields (GeoReport v2 attributes)."""

from __future__ import annotations

from city.models import Category
from open311.models import ServiceDefinition

ROAD_DAMAGE = [
    {
        "code": "size",
        "datatype": "singlevaluelist",
        "required": True,
        "description": "破损面积 / Size of the damage",
        "order": 1,
        "values": [
            {"key": "small", "name": "小于 1 平方米 / under 1 m²"},
            {"key": "medium", "name": "1–5 平方米 / 1–5 m²"},
            {"key": "large", "name": "大于 5 平方米 / over 5 m²"},
        ],
    },
    {
        "code": "lanes_blocked",
        "datatype": "number",
        "required": False,
        "description": "占用车道数 / Lanes blocked",
        "order": 2,
    },
]


def seed_service_definitions() -> int:
    """Give 'Road damage' its attributes. Idempotent; returns the number of definitions."""

    category = Category.objects.filter(code="transport.road").first()
    if category is not None:
        ServiceDefinition.objects.update_or_create(category=category, defaults={"attributes": ROAD_DAMAGE})
    return ServiceDefinition.objects.count()
