"""Any change to the directory (through a form, the admin, an import or the shell) renews its stamp,
so every process reads the directory afresh before its next assessment (engine_inputs.load_directory).
Bulk writes send no signals: the services that use them renew the stamp themselves."""
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Contact, DirectoryStamp, MailDomain, Organisation


@receiver([post_save, post_delete], sender=Organisation)
@receiver([post_save, post_delete], sender=MailDomain)
@receiver([post_save, post_delete], sender=Contact)
def directory_changed(sender, **kwargs) -> None:
    if kwargs.get("raw"):  # loading fixtures: the stamp comes with the data or is made at first use
        return
    DirectoryStamp.bump()
