"""The people and fixtures the history acts with: offices, their staff, the dispatcher, the supervisor."""

from __future__ import annotations

from accounts.models import Membership, Role, User
from casework.models import ReturnReason
from city.models import Category, Department, District
from open311.models import ApiKey
from open311.services import api_key_create


class Cast:
    """The people and fixtures the history needs, read once."""

    def __init__(self) -> None:

        self.departments = {d.code: d for d in Department.objects.filter(is_active=True)}
        self.categories = {c.code: c for c in Category.objects.all()}
        self.districts = {d.code: d for d in District.objects.all()}
        self.reasons = {r.code: r for r in ReturnReason.objects.filter(is_active=True)}
        self.dispatcher = User.objects.filter(role=Role.DISPATCHER, is_active=True).order_by("pk").first()
        self.supervisor = User.objects.filter(role=Role.SUPERVISOR, is_active=True).order_by("pk").first()
        self.staff: dict[str, object] = {}
        memberships = Membership.objects.filter(user__is_active=True, is_head=False).select_related(
            "user", "department"
        )
        for membership in memberships.order_by("pk"):
            self.staff.setdefault(membership.department.code, membership.user)
        self.api_key = self._open311_key()

    @staticmethod
    def _open311_key():

        name = "清河随手拍 (demo)"
        key = ApiKey.objects.filter(name=name).first()
        return key or api_key_create(name=name)[0]

    def acting(self, code: str) -> dict:
        """How the office acts: through its staff account, else through its signed email link."""
        user = self.staff.get(code)
        return {"actor": user} if user is not None else {"as_department": self.departments[code].pk}
