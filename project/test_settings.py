"""Settings for the test suite: the real ones, with a fast password hasher and plain static files."""

from project.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

# Integration tests (tests/integration) run the web server and the Celery worker as separate processes;
# they can share a SQLite test database only through a file. One file per test process (pytest-django adds
# the xdist worker's suffix), so parallel runs never meet; Django deletes it when the run ends.
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":  # noqa: F405
    import os as _os

    DATABASES["default"]["TEST"] = {"NAME": str(VAR_DIR / f"test-db-{_os.getpid()}.sqlite3")}  # noqa: F405

# The suite calls the API far more often than a person would; tests/test_api_throttle.py lowers the rates.
MISSEND_API_USER_RATE = "100000/min"
MISSEND_API_ANON_RATE = "100000/min"
