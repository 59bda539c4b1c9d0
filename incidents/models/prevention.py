"""Prevention: the price floors the pre-send check compares quoted prices with, and the checks a user kept.

A check is stored only when its user asks to keep it; the page and the API otherwise keep nothing.
"""

from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator, RegexValidator
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

currency_code = RegexValidator(
    r"^[A-Z]{3}$", _("Use a three-letter currency code in capitals, such as USD, EUR or CNY.")
)


class PriceFloor(models.Model):
    product = models.CharField(
        _("product"),
        max_length=200,
        blank=True,
        help_text=_("As drafts name it, e.g. PVC pipe. Empty: the floor for every price in this currency."),
    )
    other_words = models.CharField(
        _("other names"),
        max_length=500,
        blank=True,
        help_text=_("Other words drafts use for the product, separated by commas, e.g. PVC管, PVC-U pipe."),
    )
    currency = models.CharField(
        _("currency"), max_length=3, validators=[currency_code], help_text=_("Three letters, e.g. USD, EUR, CNY.")
    )
    floor = models.DecimalField(
        _("floor price"),
        max_digits=14,
        decimal_places=4,
        validators=[MinValueValidator(Decimal("0"))],
        help_text=_("A quoted price below this gets a warning before it is sent."),
    )

    class Meta:
        ordering = ["product", "currency"]
        verbose_name = _("price floor")
        verbose_name_plural = _("price floors")
        constraints = [models.UniqueConstraint(fields=["product", "currency"], name="price_floor_per_product_currency")]

    def __str__(self) -> str:
        return f"{self.product or '*'} {self.currency} {self.floor}"

    @property
    def words(self) -> tuple[str, ...]:
        """Every word naming the product (its name first), or none for a currency-wide floor."""
        if not self.product.strip():
            return ()
        others = [w.strip() for w in self.other_words.replace("，", ",").split(",")]
        return tuple(dict.fromkeys([self.product.strip(), *[w for w in others if w]]))


class KeptCheck(models.Model):
    """A pre-send check its user chose to keep: the draft as checked and the warnings it got."""

    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="kept_checks", verbose_name=_("owner")
    )
    created_at = models.DateTimeField(_("checked at"), default=timezone.now)
    subject = models.CharField(_("subject"), max_length=500, blank=True)
    # [{"address": ..., "field": "to" | "cc" | "bcc"}, ...]
    recipients = models.JSONField(_("recipients"), default=list)
    attachments = models.JSONField(_("attachments"), default=list, blank=True)
    body = models.TextField(_("body"), blank=True)
    # [{"code": ..., "params": {...}}, ...]: sentences are rendered in the reader's language when shown.
    warnings = models.JSONField(_("warnings"), default=list, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("kept check")
        verbose_name_plural = _("kept checks")
        indexes = [models.Index(fields=["owner", "-created_at", "-id"], name="kept_check_owner_recent")]

    def __str__(self) -> str:
        return self.subject or str(self.pk)
