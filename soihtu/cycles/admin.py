from django.contrib import admin

from soihtu.cycles.models import Cycle, Year


@admin.register(Year)
class YearAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["number", "starts_on", "ends_on"]


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["__str__", "starts_on", "ends_on", "state"]
    list_filter = ["state", "year"]
