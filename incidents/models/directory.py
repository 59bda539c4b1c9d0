from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from incidents.vocabulary import DraftLanguage, OrganisationKind


class Organisation(models.Model):
    """A directory entry: our own company, a client or a competitor, known by its mail domains."""

    name = models.CharField(_("name"), max_length=200, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=OrganisationKind.choices)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        choices=DraftLanguage.choices,
        help_text=_(
            "For generated drafts; empty: from the domain (.cn: Simplified Chinese; .tw, .hk, .mo: Traditional "
            "Chinese; else English)."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("organisation")
        verbose_name_plural = _("organisations")

    def __str__(self) -> str:
        return self.name


class Contact(models.Model):
    """A person at an organisation: drafts greet them by name and title, call scripts name them."""

    organisation = models.ForeignKey(
        Organisation, on_delete=models.CASCADE, related_name="contacts", verbose_name=_("organisation")
    )
    name = models.CharField(_("name"), max_length=200, help_text=_("As they write it, e.g. 王伟 or Li Wei."))
    title = models.CharField(
        _("title"), max_length=100, blank=True, help_text=_("e.g. 经理, 总监, Purchasing Manager.")
    )
    email = models.EmailField(_("email"), blank=True, db_index=True)
    phone = models.CharField(_("phone"), max_length=50, blank=True)
    language = models.CharField(
        _("preferred language"),
        max_length=10,
        blank=True,
        choices=DraftLanguage.choices,
        help_text=_("For drafts to this person; empty: the organisation's."),
    )

    class Meta:
        ordering = ["organisation__name", "name", "id"]
        verbose_name = _("contact")
        verbose_name_plural = _("contacts")

    def __str__(self) -> str:
        return f"{self.name} ({self.organisation})" if self.organisation_id else self.name


class MailDomain(models.Model):
    organisation = models.ForeignKey(Organisation, on_delete=models.CASCADE, related_name="domains")
    domain = models.CharField(_("domain"), max_length=253, unique=True)

    class Meta:
        ordering = ["domain"]
        verbose_name = _("mail domain")
        verbose_name_plural = _("mail domains")

    def __str__(self) -> str:
        return self.domain

    def save(self, *args, **kwargs):
        self.domain = self.domain.strip().lower()
        super().save(*args, **kwargs)


class Team(models.Model):
    name = models.CharField(_("name"), max_length=200, unique=True)
    members = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="teams", blank=True)
    managers = models.ManyToManyField(settings.AUTH_USER_MODEL, related_name="managed_teams", blank=True)
    hold_seconds = models.PositiveIntegerField(
        _("hold outgoing mail (seconds)"),
        null=True,
        blank=True,
        help_text=_(
            "How long the hold-and-check relay keeps the members' messages before sending them; "
            "empty: the site's. A member's own setting comes first."
        ),
    )

    class Meta:
        ordering = ["name"]
        verbose_name = _("team")
        verbose_name_plural = _("teams")

    def __str__(self) -> str:
        return self.name


class DirectoryStamp(models.Model):
    """A token that changes whenever the directory (organisations, their domains, contacts) changes.

    Each process keeps the directory it last read with the token it read first; one small read of
    this row then tells whether that copy is still the directory. A random token, not a counter: a
    change rolled back must never be mistaken for a later one that reached the same number.
    """

    token = models.CharField(max_length=32)

    def __str__(self) -> str:
        return self.token

    @classmethod
    def current(cls) -> str | None:
        return cls.objects.filter(pk=1).values_list("token", flat=True).first()
