"""Files that are not emails, or too big or too complex to read safely, get a sentence, fast."""

from __future__ import annotations

import time

import pytest
from django.test import override_settings

from incidents.message import Limits, MessageError, parse_message
from tests.intake.builders import simple

HEAD = b"From: a@ourco.com\nTo: b@acme-trading.com\nSubject: s\nDate: Tue, 01 Jul 2025 10:00:00 +0800\n"


@pytest.mark.parametrize(
    "data, sentence",
    [
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj", "This looks like a PDF, not an email."),
        (b"PK\x03\x04\x14\x00\x06\x00", "This looks like a ZIP archive or a Word/Excel document, not an email."),
        (b"\x89PNG\r\n\x1a\n\x00\x00", "This looks like an image, not an email."),
        (b"\xff\xd8\xff\xe0\x00\x10JFIF", "This looks like an image, not an email."),
        (b"{\\rtf1\\ansi hello}", "This looks like a rich-text (RTF) document, not an email."),
        (b"<!DOCTYPE html><html><body>hi</body></html>", "This looks like a web page, not an email."),
        (b"", "The file is empty."),
        (b"   \n\n", "The file is empty."),
        (
            b"Just a note I typed.\nNothing else here.\n",
            "This file does not look like an email: it has no message headers.",
        ),
        (b"From: a@ourco.com\nSubject: draft\n\nbody", "No recipients found in this message."),
        (b"From: a@ourco.com\nTo: undisclosed-recipients:;\n\nbody", "No recipients found in this message."),
        (b"\x00\x01\x02binary", "This is a binary file, not an email."),
        (
            b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600,
            "This Office file could not be read as an Outlook message; it may be damaged, or another kind of Office document.",
        ),
    ],
)
def test_not_an_email_gets_a_specific_sentence(data, sentence):
    with pytest.raises(MessageError) as caught:
        parse_message(data)
    assert caught.value.message == sentence


def test_size_limit_comes_from_the_argument():
    with pytest.raises(MessageError, match=r"^The file is larger than 0.01 MB\.$"):
        parse_message(simple(body="x" * 20_000), max_bytes=10_000)


@override_settings(MISSEND_MESSAGE_MAX_BYTES=5_000)
def test_size_limit_comes_from_settings():
    with pytest.raises(MessageError, match="larger than"):
        parse_message(simple(body="x" * 6_000))
    assert parse_message(simple(body="x" * 100)).body.startswith("x")


def test_default_size_limit_is_25_mb():
    with pytest.raises(MessageError, match=r"^The file is larger than 25 MB\.$"):
        parse_message(HEAD + b"\n" + b"x" * (25 * 1024 * 1024))


def _multipart(parts: int, boundary: bytes = b"b0") -> bytes:
    piece = b"--" + boundary + b"\nContent-Type: text/plain\n\nx\n"
    return (
        HEAD
        + b"Content-Type: multipart/mixed; boundary="
        + boundary
        + b"\n\n"
        + piece * parts
        + b"--"
        + boundary
        + b"--\n"
    )


def test_twenty_thousand_parts_fail_fast_on_the_part_limit():
    data = _multipart(20_000)
    assert 0.3 * 1024 * 1024 < len(data) < 1024 * 1024
    data += b" " * (760_000 - len(data))  # 0.76 MB, as in the report of the problem
    started = time.perf_counter()
    with pytest.raises(MessageError, match="more than 1000 parts"):
        parse_message(data)
    assert time.perf_counter() - started < 0.5


def test_parts_within_the_limit_are_fine():
    assert parse_message(_multipart(400)).body == "x"


def test_a_message_with_twenty_large_and_five_hundred_small_attachments_fits_the_default_limits():
    # The shape of the benchmark's message: the defaults must read what a real sender can send.
    assert parse_message(_multipart(521)).body == "x"


def test_nesting_depth_limit():
    data = b"x\n"
    for level in range(25):
        boundary = b"n%d" % level
        data = (
            b"Content-Type: multipart/mixed; boundary="
            + boundary
            + b"\n\n--"
            + boundary
            + b"\n"
            + data
            + b"\n--"
            + boundary
            + b"--\n"
        )
    with pytest.raises(MessageError, match="more than 20 levels deep"):
        parse_message(HEAD + data)


def test_nested_attached_messages_count_as_depth():
    data = HEAD + b"\nx\n"
    for _level in range(30):
        data = HEAD + b"Content-Type: message/rfc822\n\n" + data
    with pytest.raises(MessageError, match=r"levels deep|parts"):
        parse_message(data)


def test_header_count_limit():
    data = HEAD + b"X-Filler: y\n" * 1_200 + b"\nbody\n"
    started = time.perf_counter()
    with pytest.raises(MessageError, match="more than 1000 header lines"):
        parse_message(data)
    assert time.perf_counter() - started < 0.5


def test_header_count_limit_inside_a_part():
    part_headers = b"X-Filler: y\n" * 1_100
    data = HEAD + b"Content-Type: multipart/mixed; boundary=B\n\n--B\n" + part_headers + b"\nx\n--B--\n"
    with pytest.raises(MessageError, match="header lines"):
        parse_message(data)


def test_addresses_per_header_limit():
    many = ", ".join(f"user{i}@acme-trading.com" for i in range(600)).encode()
    with pytest.raises(MessageError, match="more than 500 addresses"):
        parse_message(b"From: a@ourco.com\nTo: " + many + b"\n\nbody")


def test_limits_can_be_narrowed_per_call():
    with pytest.raises(MessageError, match="more than 3 parts"):
        parse_message(_multipart(5), limits=Limits(max_parts=3))


def test_many_attachments_are_not_too_many_header_lines():
    """The header limit is per part: 450 attachments bring some 1,800 header lines in all."""
    assert (
        len(
            parse_message(
                _multipart(450).replace(
                    b"Content-Type: text/plain\n",
                    b"Content-Type: text/plain\nContent-Disposition: attachment; filename=a.txt\nX-A: 1\n",
                )
            ).attachments
        )
        == 450
    )


def test_peak_memory_stays_near_the_message_size():
    import tracemalloc
    from email.message import EmailMessage

    message = EmailMessage()
    message["From"], message["To"], message["Subject"] = "a@ourco.com", "b@acme-trading.com", "big"
    message.set_content("see attached")
    for index in range(4):
        message.add_attachment(
            bytes(range(256)) * 2_000, maintype="application", subtype="pdf", filename=f"{index}.pdf"
        )
    data = message.as_bytes()
    tracemalloc.start()
    try:
        parse_message(data)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 3 * len(data)


def test_the_parser_works_without_django_settings():
    """Pure: a script or a worker without settings gets the default limits and English sentences."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    code = (
        "from incidents.message import MessageError, parse_message\n"
        "try:\n    parse_message(b'%PDF-1.7')\n"
        "except MessageError as error:\n    print(error.message)\n"
    )
    env = {key: value for key, value in os.environ.items() if key != "DJANGO_SETTINGS_MODULE"}
    result = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        env=env,
        cwd=Path(__file__).resolve().parents[2],
        timeout=60,
        check=False,
    )
    assert result.stdout.strip() == "This looks like a PDF, not an email.", result.stderr[-2000:]
