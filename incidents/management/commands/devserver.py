"""Serve the app and run a Celery worker (with beat) beside it; Ctrl-C stops both."""
import signal
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Run the development web server together with a Celery worker and beat."

    def add_arguments(self, parser):
        parser.add_argument("addrport", nargs="?", default="127.0.0.1:8000")

    def handle(self, *args, addrport: str, **options):
        worker = subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "project", "worker", "-B", "--loglevel", "INFO",
             "--concurrency", "2", "--hostname", "missend-dev@%h"],
        )
        # SIGTERM from a supervisor should stop the worker too, not orphan it.
        signal.signal(signal.SIGTERM, lambda *_: sys.exit(0))
        try:
            call_command("runserver", addrport, use_reloader=False)
        except KeyboardInterrupt:
            pass
        finally:
            worker.terminate()
            try:
                worker.wait(timeout=15)
            except subprocess.TimeoutExpired:
                worker.kill()
