"""Any change to the directory or the teams (through a form, the admin, an import or the shell) renews
the directory's stamp, so every process reads them afresh before its next assessment
(directory.selectors.load_directory) or list page (filters.directory_choices). Bulk writes send no signals:
the services that use them renew the stamp themselves."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from incidents.directory.services import directory_stamp_renew
from incidents.models import Contact, MailDomain, Organisation, PriceFloor, Team


@receiver([post_save, post_delete], sender=Organisation)
@receiver([post_save, post_delete], sender=MailDomain)
@receiver([post_save, post_delete], sender=Contact)
@receiver([post_save, post_delete], sender=Team)
@receiver([post_save, post_delete], sender=PriceFloor)  # the pre-send check's copy goes with the directory's
def directory_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures: the stamp comes with the data or is made at first use
        return
    directory_stamp_renew()
