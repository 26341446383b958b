"""Admin for the city: districts, departments, categories and the working calendar."""

from django.contrib import admin

from city.models import CalendarDay, CalendarSource, Category, Department, District


@admin.register(District)
class DistrictAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "sort_order"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Department)
class DepartmentAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "parent", "is_active", "works_by_email"]
    list_filter = ["is_active", "works_by_email"]
    search_fields = ["code", "name_zh", "name_en"]


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ["code", "name_zh", "name_en", "parent", "default_department", "is_active"]
    list_filter = ["is_active", "default_department"]
    search_fields = ["code", "name_zh", "name_en"]
    autocomplete_fields = ["parent", "default_department"]


@admin.register(CalendarDay)
class CalendarDayAdmin(admin.ModelAdmin):
    list_display = ["date", "is_working", "name", "source", "note"]
    list_filter = ["is_working", "source"]
    search_fields = ["name", "note"]
    date_hierarchy = "date"

    def save_model(self, request, obj, form, change):
        # A date touched by an administrator is never overwritten by the seeding command.
        obj.source = CalendarSource.ADMINISTRATOR
        super().save_model(request, obj, form, change)
