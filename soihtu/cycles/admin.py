from django.contrib import admin
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from soihtu.cycles.models import Cycle, Year
from soihtu.cycles.services import year_create


@admin.register(Year)
class YearAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["number", "starts_on", "ends_on"]
    actions = ["create_next_year"]

    @admin.action(description=gettext_lazy("Create the following year with its cycles"))
    def create_next_year(self, request: HttpRequest, queryset: QuerySet[Year]) -> None:
        latest = Year.objects.order_by("-number").first()
        number = latest.number + 1 if latest else timezone.localdate().year
        year = year_create(number=number)
        self.message_user(request, _("Created %(year)s and its cycles.") % {"year": year})


@admin.register(Cycle)
class CycleAdmin(admin.ModelAdmin):  # type: ignore[type-arg]
    list_display = ["__str__", "starts_on", "ends_on", "state"]
    list_filter = ["state", "year"]
