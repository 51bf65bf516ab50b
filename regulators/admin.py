from django.contrib import admin

from regulators.models import Regulator


@admin.register(Regulator)
class RegulatorAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "registration_number_format", "revalidation_cycle_months", "is_statutory"]
    search_fields = ["code", "name"]
