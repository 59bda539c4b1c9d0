"""The relay's rules as a table: delays, who may relay and sign in, refusals, replies, what is due."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

import pytest

from incidents.relay import policy

NOW = datetime(2026, 12, 1, 14, 0, tzinfo=UTC)
LOCAL = policy.parse_networks(["127.0.0.1/32", "::1/128"])
OFFICE = policy.parse_networks(["10.1.0.0/16", "2001:db8::/32"])


@pytest.mark.parametrize(
    "user, teams, default, expected",
    [
        (None, [], 180, 180),  # nobody set anything: the site's
        (None, [None, None], 180, 180),
        (None, [60], 180, 60),  # the team's beats the site's
        (None, [60, 600, None], 180, 600),  # several teams: the longest, the most careful
        (30, [600], 180, 30),  # the user's own beats the team's
        (0, [600], 180, 0),  # zero is a choice (check only, no wait), not "unset"
        (None, [0], 180, 0),
    ],
)
def test_the_delay_is_the_users_else_the_longest_teams_else_the_sites(user, teams, default, expected):
    assert policy.hold_seconds(user=user, teams=teams, default=default) == expected


@pytest.mark.parametrize(
    "peer, networks, trusted",
    [
        ("127.0.0.1", LOCAL, True),
        ("::1", LOCAL, True),
        ("::ffff:127.0.0.1", LOCAL, True),  # IPv4 on a dual-stack socket
        ("10.1.2.3", LOCAL, False),
        ("10.1.2.3", OFFICE, True),
        ("10.2.0.1", OFFICE, False),
        ("2001:db8::5", OFFICE, True),
        ("fe80::1%eth0", OFFICE, False),
        (None, LOCAL, False),
        ("not-an-ip", LOCAL, False),
    ],
)
def test_trusted_networks(peer, networks, trusted):
    assert policy.trusted_peer(peer, networks) is trusted


def test_a_malformed_network_is_named():
    with pytest.raises(ValueError, match=r"10\.0\.0\.0/33"):
        policy.parse_networks(["10.0.0.0/8", "10.0.0.0/33"])


@pytest.mark.parametrize(
    "trusted, authenticated, may",
    [
        (True, False, True),
        (False, True, True),
        (True, True, True),
        (False, False, False),  # never an open relay
    ],
)
def test_only_trusted_networks_or_signed_in_users_relay(trusted, authenticated, may):
    assert policy.may_relay(trusted=trusted, authenticated=authenticated) is may


@pytest.mark.parametrize("tls, loopback, may", [(True, False, True), (False, True, True), (False, False, False)])
def test_passwords_cross_a_network_only_encrypted(tls, loopback, may):
    assert policy.may_authenticate(tls=tls, loopback=loopback) is may


@pytest.mark.parametrize(
    "users, signed_in, owner, refusal",
    [
        (1, None, 7, None),
        (0, None, None, policy.NOT_A_USER),
        (2, None, None, policy.AMBIGUOUS_USER),
        (1, 7, 7, None),
        (1, 8, 7, policy.NOT_YOUR_ADDRESS),  # signed in as one user, sending as another
        (0, 7, None, policy.NOT_A_USER),
    ],
)
def test_the_sender_must_be_one_user_and_the_signed_in_one(users, signed_in, owner, refusal):
    assert policy.sender_refusal(users=users, authenticated_user_id=signed_in, sender_user_id=owner) == refusal


def test_size_and_recipient_limits():
    assert policy.size_refusal(None, 100) is None
    assert policy.size_refusal(100, 100) is None
    assert policy.size_refusal(101, 100) == policy.TOO_BIG
    assert policy.recipients_refusal(99, 100) is None
    assert policy.recipients_refusal(100, 100) == policy.TOO_MANY_RECIPIENTS


@pytest.mark.parametrize(
    "reply",
    [
        policy.AUTH_REQUIRED,
        policy.ENCRYPTION_REQUIRED,
        policy.AUTH_INVALID,
        policy.NOT_A_USER,
        policy.AMBIGUOUS_USER,
        policy.NOT_YOUR_ADDRESS,
        policy.TOO_BIG,
        policy.TOO_MANY_RECIPIENTS,
        policy.UNREADABLE,
        policy.TRY_LATER,
        policy.OK_SENDER,
        policy.OK_RECIPIENT,
    ],
)
def test_every_reply_has_an_enhanced_status_code_in_its_class_and_is_ascii(reply):
    code, enhanced, text = reply.split(" ", 2)
    assert code[0] in "245" and enhanced.split(".")[0] == code[0] and len(enhanced.split(".")) == 3
    assert reply.isascii() and text


def test_the_acceptance_says_until_when_in_utc_and_the_id():
    due = datetime(2026, 12, 1, 22, 3, 30, tzinfo=timezone(timedelta(hours=8)))
    assert policy.accepted(policy.Held(42, due)) == (
        "250 2.0.0 Held until 14:03 UTC as 42: the sender can cancel it until then"
    )
    assert policy.accepted(policy.Held(42, due, already=True)).startswith("250 2.0.0 Already held as 42")


def test_an_unreadable_message_gets_the_parsers_sentence_in_one_ascii_line():
    assert policy.unreadable("This looks like\na PDF — not an email.") == (
        "554 5.6.0 The message could not be checked (This looks like a PDF ? not an email.)"
    )
    assert policy.unreadable("") == policy.UNREADABLE
    assert len(policy.unreadable("x" * 5000)) < 500


@pytest.mark.parametrize(
    "status, due, due_now",
    [
        ("held", NOW, True),
        ("held", NOW - timedelta(seconds=1), True),
        ("held", NOW + timedelta(seconds=1), False),
        ("cancelled", NOW - timedelta(hours=1), False),
        ("releasing", NOW - timedelta(hours=1), False),
    ],
)
def test_what_is_due(status, due, due_now):
    assert policy.is_due(status=status, due=due, now=NOW) is due_now


@pytest.mark.parametrize(
    "status, claimed_ago, abandoned",
    [
        ("releasing", 361, True),
        ("releasing", 360, True),
        ("releasing", 359, False),
        ("held", 1000, False),
        ("releasing", None, False),
    ],
)
def test_a_claim_past_its_lease_is_abandoned(status, claimed_ago, abandoned):
    claimed = None if claimed_ago is None else NOW - timedelta(seconds=claimed_ago)
    assert policy.claim_abandoned(status=status, claimed_at=claimed, now=NOW, lease_seconds=360) is abandoned


def test_retries_back_off_exponentially_with_jitter():
    assert [policy.retry_delay(n, 30, jitter=1).total_seconds() for n in (1, 2, 3, 4)] == [30, 60, 120, 240]
    assert 24 <= policy.retry_delay(1, 30).total_seconds() <= 36


@pytest.mark.parametrize("code, permanent", [(550, True), (554, True), (451, False), (421, False), (None, False)])
def test_only_5xx_from_the_upstream_is_permanent(code, permanent):
    assert policy.upstream_failure_is_permanent(code) is permanent


@pytest.mark.parametrize(
    "value, expected",
    [
        ("smtp.example.com:587", ("smtp.example.com", 587)),
        ("smtp.example.com", ("smtp.example.com", 25)),
        ("[::1]:2525", ("::1", 2525)),
        ("127.0.0.1:25", ("127.0.0.1", 25)),
    ],
)
def test_upstream_host_and_port(value, expected):
    assert policy.split_host_port(value) == expected


@pytest.mark.parametrize("value", ["", "host:", "host:0", "host:99999", ":25", "host:port"])
def test_a_bad_upstream_is_refused(value):
    with pytest.raises(ValueError):
        policy.split_host_port(value)


def test_envelope_recipients_not_in_to_or_cc_are_bcc():
    to, cc = ["A@acme-trading.com"], ["b@ourco.com"]
    assert [
        policy.field_for(a, to=to, cc=cc) for a in ("a@acme-trading.com", "B@ourco.com", "c@rival-exports.com")
    ] == ["to", "cc", "bcc"]
