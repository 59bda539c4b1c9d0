from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from incidents.directory.importing import DirectoryFileError, import_directory


class Command(BaseCommand):
    help = (
        "Create or update directory organisations from a CSV file with the header name,kind,domains, "
        "or their contacts from one with the header organisation,name[,title,email,phone,language]."
    )

    def add_arguments(self, parser):
        parser.add_argument("csv_file", help="Path to a UTF-8 CSV file; domains separated by spaces or semicolons.")

    def handle(self, *args, csv_file: str, **options):
        try:
            with open(csv_file, encoding="utf-8-sig", newline="") as stream:
                result = import_directory(stream)
        except FileNotFoundError:
            raise CommandError(_("No such file: %(path)s") % {"path": csv_file}) from None
        except OSError as error:
            raise CommandError(_("The file cannot be read: %(error)s") % {"error": error}) from None
        except (DirectoryFileError, UnicodeDecodeError) as error:
            raise CommandError(str(error)) from None
        for row_number, reason in result.rejected:
            self.stderr.write(_("Row %(row)d rejected: %(reason)s") % {"row": row_number, "reason": reason})
        self.stdout.write(
            _("Created %(created)d, updated %(updated)d, unchanged %(unchanged)d, rejected %(rejected)d.")
            % {
                "created": result.created,
                "updated": result.updated,
                "unchanged": result.unchanged,
                "rejected": len(result.rejected),
            }
        )
        if result.rejected:
            raise CommandError(
                _("%(count)d row(s) rejected; the other rows were imported.") % {"count": len(result.rejected)}
            )
