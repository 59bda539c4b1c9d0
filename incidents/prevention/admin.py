"""The price floors in the admin: the lowest price per product (or per currency) a draft may quote
before the pre-send check warns. Kept checks have no admin page: they are their owner's alone."""

from django import forms
from django.contrib import admin
from django.utils.translation import gettext_lazy as _

from incidents.models import PriceFloor


class PriceFloorForm(forms.ModelForm):
    class Meta:
        model = PriceFloor
        fields = ["product", "other_words", "currency", "floor"]

    def clean_currency(self) -> str:
        return (self.cleaned_data.get("currency") or "").strip().upper()

    def clean_product(self) -> str:
        return (self.cleaned_data.get("product") or "").strip()


@admin.register(PriceFloor)
class PriceFloorAdmin(admin.ModelAdmin):
    form = PriceFloorForm
    list_display = ["product_or_any", "other_words", "currency", "floor"]
    list_filter = ["currency"]
    search_fields = ["product", "other_words", "currency"]
    ordering = ["product", "currency"]

    @admin.display(description=_("product"), ordering="product")
    def product_or_any(self, floor: PriceFloor) -> str:
        return floor.product or str(_("(every price in this currency)"))
