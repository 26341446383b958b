"""The article form: it checks the input; ``knowledge.services.article_save`` decides."""

from __future__ import annotations

from django import forms
from django.utils.translation import gettext_lazy as _

from city.models import Category, Department
from knowledge.models import Article


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class ArticleForm(forms.ModelForm):
    class Meta:
        model = Article
        fields = ["title", "body", "keywords", "category", "department", "valid_from", "valid_until", "is_published"]
        widgets = {
            "body": forms.Textarea(attrs={"rows": 8}),
            "valid_from": DateInput(),
            "valid_until": DateInput(),
        }
        help_texts = {"valid_until": _("Leave empty if the answer does not expire.")}

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        departments = Department.objects.filter(is_active=True)
        if user.role != "administrator":
            departments = departments.filter(pk__in=user.department_ids())
        self.fields["department"].queryset = departments
        self.fields["category"].queryset = Category.objects.all()
        self.fields["body"].max_length = 8000
        if departments.count() == 1 and not self.instance.pk:
            self.fields["department"].initial = departments.first()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("valid_from"), cleaned.get("valid_until")
        if start and end and end < start:
            self.add_error("valid_until", _("An article cannot stop being valid before it starts."))
        return cleaned
