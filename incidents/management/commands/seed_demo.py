from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from incidents.seeding.demo import seed_demo


class Command(BaseCommand):
    help = "Create the demo users, directory and incidents (idempotent)."

    def handle(self, *args, **options):
        logins = seed_demo()
        self.stdout.write(_("Demo logins (for local trials only):"))
        for username, password in logins:
            self.stdout.write(f"  {username:<9} {password}")
