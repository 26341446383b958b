from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from feedback.models import Kind
from routing.models import RoutingDecision, RoutingRule
from routing.rules import keywords_parse
from routing.selectors import routing_rule_preview, routing_rule_problems


@admin.register(RoutingRule)
class RoutingRuleAdmin(admin.ModelAdmin):
    list_display = ["order", "name", "lead_department", "conditions", "is_active", "problem", "preview_link"]
    list_display_links = ["name"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active", "lead_department", "district", "kind"]
    search_fields = ["name", "keywords_any", "keywords_all", "keywords_none"]
    autocomplete_fields = ["category", "lead_department", "co_departments"]
    readonly_fields = ["problem", "preview_link", "source", "updated_at"]

    class Media:
        # The page's CSP forbids inline styles: the flag's colour comes from a stylesheet.
        css = {"all": ["css/admin-rules.css"]}

    fieldsets = [
        (None, {"fields": ["name", "order", "is_active", "problem", "preview_link"]}),
        (
            _("Conditions"),
            {"fields": ["category", "keywords_any", "keywords_all", "keywords_none", "district", "kind", "area"]},
        ),
        (_("Actions"), {"fields": ["lead_department", "co_departments", "priority", "deadline_policy"]}),
        (_("Record"), {"fields": ["source", "updated_at"]}),
    ]

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)

        form.base_fields["kind"].widget = forms.Select(choices=[("", "---------"), *Kind.choices])
        return form

    def changelist_view(self, request, extra_context=None):
        self._problems = routing_rule_problems()
        return super().changelist_view(request, extra_context)

    def change_view(self, request, object_id, form_url="", extra_context=None):
        self._problems = routing_rule_problems()
        return super().change_view(request, object_id, form_url, extra_context)

    @admin.display(description=_("conditions"))
    def conditions(self, rule):
        parts = []
        if rule.category_id:
            parts.append(str(rule.category))
        keyword_fields = ((_("any"), rule.keywords_any), (_("all"), rule.keywords_all), (_("none"), rule.keywords_none))
        for label, raw in keyword_fields:
            words = keywords_parse(raw)
            if words:
                parts.append(f"{label}: {'、'.join(words[:6])}{'…' if len(words) > 6 else ''}")
        if rule.district_id:
            parts.append(str(rule.district))
        if rule.kind:
            parts.append(rule.kind)
        return "; ".join(parts) or _("every case")

    @admin.display(description=_("problem"))
    def problem(self, rule):
        flag = getattr(self, "_problems", {}).get(rule.pk)
        if flag is None:
            return "" if rule.is_active else _("inactive")
        if flag == "never":
            return format_html('<strong class="rule-problem">{}</strong>', _("can never match"))
        return format_html(
            '<strong class="rule-problem">{}</strong>',
            _("fully shadowed by “%(rule)s”") % {"rule": flag.removeprefix("shadowed:")},
        )

    @admin.display(description=_("preview"))
    def preview_link(self, rule):
        if not rule.pk:
            return ""
        url = reverse("admin:routing_routingrule_preview", args=[rule.pk])
        return format_html('<a href="{}">{}</a>', url, _("which of the last 500 submissions would it catch?"))

    def get_urls(self):
        preview = self.admin_site.admin_view(self.preview_view)
        return [path("<int:rule_id>/preview/", preview, name="routing_routingrule_preview"), *super().get_urls()]

    def preview_view(self, request, rule_id: int):
        rule = get_object_or_404(RoutingRule, pk=rule_id)
        if not self.has_view_permission(request, rule):
            raise PermissionDenied
        caught, looked_at = routing_rule_preview(rule=rule)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "original": rule,
            "title": _("Preview of “%(rule)s”") % {"rule": rule.name},
            "caught": caught,
            "looked_at": looked_at,
            "problem": routing_rule_problems().get(rule.pk),
        }
        return TemplateResponse(request, "admin/routing/routingrule/preview.html", context)


@admin.register(RoutingDecision)
class RoutingDecisionAdmin(admin.ModelAdmin):
    list_display = ["submission", "source", "department", "rule_name", "confidence", "model_version", "created_at"]
    list_filter = ["source", "department"]
    raw_id_fields = ["submission", "rule"]
    list_select_related = ["submission", "department"]

    # Decisions are a record: read, never written by hand.
    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
