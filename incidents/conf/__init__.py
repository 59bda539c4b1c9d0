"""Every MISSEND_* setting, declared once: its name, type, default, how it is read and what it does.

project/settings.py sets each from its environment variable of the same name (``env=False``: from a
settings module only) or from its default; a variable that cannot be read as its type stops start-up,
naming it. The app reads them through ``missend``, at call time and for declared names only::

    from incidents.conf import missend

    missend.HOLD_SECONDS  # django.conf.settings.MISSEND_HOLD_SECONDS, as override_settings or a test left it

``manage.py check`` reports a value of the wrong type (missend.E020), and a test holds the README's
configuration table to these declarations. No Django at module level: settings.py imports this.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from incidents.conf import words
from incidents.conf.declare import Accessor, Setting, index, read_all
from incidents.conf.kinds import (
    MB,
    Bool,
    Bytes,
    Choice,
    DecimalNumber,
    Float,
    Folder,
    Int,
    Networks,
    Rate,
    Text,
    Words,
)

__all__ = ["DECLARED", "SETTINGS", "Setting", "missend", "read_environment"]

_REPOSITORY = Path(__file__).resolve().parents[2]

# fmt: off
SETTINGS = (
    # Where things are kept, and the infrastructure around the app.
    Setting("MISSEND_VAR_DIR", Folder(), str(_REPOSITORY / "var"),
            "Where the SQLite database, the generated secret key, mail files, evidence and the local task queue are kept.", shown="`var/`"),
    Setting("MISSEND_EVIDENCE_ROOT", Folder(), lambda env, read: str(Path(read["MISSEND_VAR_DIR"]) / "evidence"),
            "Where sent messages kept as evidence are stored, a folder only this app reads (back it up with the database).", shown="`var/evidence/`"),
    Setting("MISSEND_PG_PARALLEL_WORKERS", Int(), 0,
            "PostgreSQL's max_parallel_workers_per_gather for the app's connections: none by default, since every query reads a page or a capped count."),
    Setting("MISSEND_CACHE_PREFIX", Text(), "missend",
            "The key prefix of the Redis cache (sessions) when REDIS_URL is set."),
    Setting("MISSEND_FAULTS", Words(), [],
            "Fault points to inject (incidents/platform/faults.py), for the integration tests only: `manage.py check` warns when set."),
    # The web and the API: who is counted where, and how much they may ask.
    Setting("MISSEND_PROXY_COUNT", Int(), 0,
            "How many proxies in front of the app append to X-Forwarded-For, so the lockout and the throttles count the client's address (0: REMOTE_ADDR)."),
    Setting("MISSEND_API_USER_RATE", Rate(), "600/min",
            "API calls allowed per signed-in user, by token or session alike."),
    Setting("MISSEND_API_ANON_RATE", Rate(), "60/min",
            "API calls allowed per address for anonymous calls."),
    Setting("MISSEND_LOGIN_LOCKOUT_MINUTES", Int(), 15,
            "How long a username stays locked out at one address after five wrong passwords, counted from the last attempt."),
    Setting("MISSEND_LIST_COUNT_CAP", Int(), 1000, "How many matching rows a list counts at most before it says 1,000+ instead of a page count.", env=False),
    Setting("MISSEND_FILING_KEY_HOURS", Float(), 24.0,
            "How long an Idempotency-Key (API) or the report form's token answers the incident it filed."),
    # The assessment and the pre-send check.
    Setting("MISSEND_LOW_QUOTE_HIGH_GAP", DecimalNumber(), Decimal("0.10"),
            "A price quoted outside this fraction or more below the correct one makes the incident high severity (critical once answered)."),
    Setting("MISSEND_BREACH_NOTIFICATION_HOURS", Int(), 72,
            "Hours after filing by which a personal-data breach must be notified to the regulator."),
    Setting("MISSEND_PRICING_WORDS", Words(), words.PRICING_WORDS,
            "Words that mark a message as talking about prices.", env=False, shown="built-in"),
    Setting("MISSEND_CURRENCY_MARKERS", Words(), words.CURRENCY_MARKERS,
            "Currency codes, signs and names that make a nearby amount a price.", env=False, shown="built-in"),
    Setting("MISSEND_INTERNAL_WORDS", Words(), words.INTERNAL_WORDS,
            "Words that mark internal information (costs, margins, confidential matters).", env=False, shown="built-in"),
    Setting("MISSEND_ATTACHMENT_WORDS", Words(), words.ATTACHMENT_WORDS,
            "Words with which the pre-send check notices a draft that mentions an attachment but has none.", env=False, shown="built-in"),
    Setting("MISSEND_PERSONAL_DATA_WORDS", Words(), words.PERSONAL_DATA_WORDS,
            "Words that mark personal data beyond what the number rules find.", env=False, shown="built-in"),
    Setting("MISSEND_MAX_ADDRESSES_PER_FIELD", Int(), 500, "How many addresses a recipient field of a report or a pre-send check may list.", env=False),
    # Uploaded and forwarded messages: anything beyond these is refused before or while parsing.
    Setting("MISSEND_MESSAGE_MAX_BYTES", Bytes(), 25 * MB,
            "The largest message file the parser accepts."),
    Setting("MISSEND_MESSAGE_MAX_DEPTH", Int(), 20,
            "How deep a message's parts may nest."),
    Setting("MISSEND_MESSAGE_MAX_PARTS", Int(), 1000,
            "How many MIME parts a message may have."),
    Setting("MISSEND_MESSAGE_MAX_HEADERS", Int(), 1000,
            "How many header lines one part of a message may have."),
    Setting("MISSEND_MESSAGE_MAX_ADDRESSES", Int(), 500,
            "How many addresses one address field of a message may list."),
    Setting("MISSEND_HELD_EVIDENCE_HOURS", Float(), 24.0,
            "How long a message kept as evidence on the report page waits for its report before it is deleted."),
    # Escalation and notifications.
    Setting("MISSEND_SWEEP_SECONDS", Float(), 15.0,
            "How often the sweeper moves due escalations on and re-drives lost notifications."),
    Setting("MISSEND_REDRIVE_SECONDS", Float(), 20.0,
            "How long a pending notification waits for its task before the sweeper enqueues it again."),
    Setting("MISSEND_SENDING_STALE_SECONDS", Float(), 120.0,
            "How long a notification may stay in sending before its worker is taken for dead and it is sent again."),
    Setting("MISSEND_NOTIFICATION_MAX_ATTEMPTS", Int(), 5,
            "How many times a notification is tried before it is marked failed."),
    Setting("MISSEND_RETRY_BASE_SECONDS", Float(), 10.0,
            "The first delay of a notification's retries, which grow exponentially with jitter."),
    Setting("MISSEND_ACK_LINK_MAX_AGE_HOURS", Int(), 72,
            "How long an emailed acknowledge link stays valid."),
    Setting("MISSEND_WEBHOOK_TIMEOUT", Float(), 5.0,
            "Seconds a policy's webhook may take to connect and answer."),
    Setting("MISSEND_DASHBOARD_REFRESH_SECONDS", Float(), 300.0,
            "How often the dashboard's daily rollups are brought up to date."),
    Setting("MISSEND_DRAFT_SENDING", Bool(), lambda env, read: bool(env.get("EMAIL_HOST")),
            "Whether drafts can be sent from the app (the user confirms each), which needs an SMTP server.", shown="on when `EMAIL_HOST` is set"),
    # Forward to the desk: `manage.py receive_mail`.
    Setting("MISSEND_MAILIN_ADDRESSES", Words(lower=True), ["desk@localhost"],
            "The desk address(es) receive_mail accepts forwards for."),
    Setting("MISSEND_MAILIN_MAX_BYTES", Bytes(), 35 * MB,
            "The largest forward accepted: room above the parser's limit for a base64-encoded .msg file."),
    Setting("MISSEND_MAILIN_REQUIRE_AUTH", Bool(), False,
            "Accept a forward only when the trusted server's Authentication-Results says one of the methods passed for the sender's domain."),
    Setting("MISSEND_MAILIN_AUTHSERV_ID", Text(strip=True), "",
            "The authserv-id of the mail server whose Authentication-Results header is trusted."),
    Setting("MISSEND_MAILIN_AUTH_METHODS", Words(lower=True), ["dmarc", "spf"],
            "The authentication methods of which one must pass."),
    Setting("MISSEND_MAILIN_HOSTNAME", Text(), "localhost",
            "The name the receiver greets with (looking up the machine's own name can hang without a network)."),
    # The hold-and-check relay: `manage.py hold_relay`.
    Setting("MISSEND_HOLD_SECONDS", Int(), 180,
            "How long the relay holds a message when neither the user nor their team set their own delay."),
    Setting("MISSEND_RELAY_NETWORKS", Networks(), ["127.0.0.1/32", "::1/128"],
            "Who may relay without SMTP AUTH; anyone else must sign in, so the relay is never open."),
    Setting("MISSEND_RELAY_MAX_BYTES", Bytes(), 25 * MB,
            "The largest message the relay takes."),
    Setting("MISSEND_RELAY_MAX_RECIPIENTS", Int(), 100,
            "The most recipients one relayed message may have."),
    Setting("MISSEND_RELAY_TLS_CERT", Text(), "",
            "The certificate for STARTTLS to the relay's clients (and so AUTH from outside the loopback interface)."),
    Setting("MISSEND_RELAY_TLS_KEY", Text(), "",
            "The private key of MISSEND_RELAY_TLS_CERT."),
    Setting("MISSEND_RELAY_HOSTNAME", Text(), "localhost",
            "The name the relay greets with and puts in the Message-IDs it adds."),
    Setting("MISSEND_RELAY_UPSTREAM", Text(), "",
            "The real outgoing server held messages are passed to, host:port; empty: no relay."),
    Setting("MISSEND_RELAY_UPSTREAM_TLS", Choice("", "starttls", "ssl"), "",
            "How the relay encrypts its connection to the upstream server."),
    Setting("MISSEND_RELAY_UPSTREAM_USER", Text(), "",
            "The user the relay signs in to the upstream server as (empty: it does not sign in)."),
    Setting("MISSEND_RELAY_UPSTREAM_PASSWORD", Text(), "",
            "The password of MISSEND_RELAY_UPSTREAM_USER."),
    Setting("MISSEND_RELAY_UPSTREAM_TIMEOUT", Float(), 30.0,
            "Seconds the upstream server may take to connect and answer."),
    Setting("MISSEND_RELAY_SWEEP_SECONDS", Float(), 0.5,
            "How often due messages are looked for: the most a release can lag behind its time."),
    Setting("MISSEND_RELAY_REDRIVE_SECONDS", Float(), 20.0,
            "A release task not started this long after it was enqueued is enqueued again."),
    Setting("MISSEND_RELAY_LEASE_SECONDS", Float(), 360.0,
            "A release claimed longer ago than this is taken back, its worker taken for dead."),
    Setting("MISSEND_RELAY_MAX_ATTEMPTS", Int(), 8,
            "How many times an upstream that answers 4xx or not at all is tried before the message fails."),
    Setting("MISSEND_RELAY_RETRY_BASE_SECONDS", Float(), 30.0,
            "The first delay of the relay's retries, which grow exponentially."),
    Setting("MISSEND_RELAY_KEEP_DAYS", Float(), 30.0,
            "How long cancelled and failed messages keep their bytes, from which a report can be started."),
)
# fmt: on

DECLARED = index(SETTINGS)
missend = Accessor(DECLARED)


def read_environment(environ=None) -> dict[str, object]:
    """Every MISSEND_* setting from the environment (os.environ unless given), for project/settings.py."""
    return read_all(SETTINGS, environ)
