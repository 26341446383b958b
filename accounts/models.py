from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    DISPATCHER = "dispatcher", _("Dispatcher")
    OPERATOR = "operator", _("Hotline operator")
    STAFF = "staff", _("Department staff")
    HEAD = "head", _("Department head")
    SUPERVISOR = "supervisor", _("Supervisor")
    ADMINISTRATOR = "administrator", _("Administrator")


class User(AbstractUser):
    """A member of staff. Citizens have no account: they hold a tracking secret."""

    role = models.CharField(_("role"), max_length=20, choices=Role.choices, default=Role.STAFF)
    departments = models.ManyToManyField(
        "city.Department",
        through="Membership",
        related_name="members",
        blank=True,
        verbose_name=_("departments"),
    )
    phone = models.CharField(_("phone"), max_length=32, blank=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")

    @property
    def is_dispatcher(self) -> bool:
        return self.role == Role.DISPATCHER

    @property
    def is_operator(self) -> bool:
        """A hotline operator (话务员): logs calls at the console and answers from the knowledge base."""
        return self.role == Role.OPERATOR

    @property
    def is_supervisor(self) -> bool:
        return self.role in (Role.SUPERVISOR, Role.ADMINISTRATOR)

    @property
    def is_department_head(self) -> bool:
        return self.role == Role.HEAD

    def department_ids(self) -> set[int]:
        """Ids of the departments this user works for (cached per instance)."""
        cached = getattr(self, "_department_ids", None)
        if cached is None:
            cached = set(self.memberships.values_list("department_id", flat=True))
            self._department_ids = cached
        return cached


class Membership(models.Model):
    # No index of its own: a unique or composite index starts with it.
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", db_index=False)
    department = models.ForeignKey("city.Department", on_delete=models.CASCADE, related_name="memberships")
    is_head = models.BooleanField(_("head of department"), default=False)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        constraints = [models.UniqueConstraint(fields=["user", "department"], name="membership_unique")]

    def __str__(self) -> str:
        return f"{self.user} @ {self.department}"
