"""Whatever the bytes, the parser answers a ParsedMessage or a MessageError, nothing else."""

from __future__ import annotations

import email
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from incidents.message import Limits, MessageError, ParsedMessage, forwarded_message, parse_message
from tests.intake.builders import legacy, simple
from tests.intake.outlook_builder import build_msg

DATA = Path(email.__file__).parent.parent / "test" / "test_email" / "data"
SEEDS = [p.read_bytes() for p in sorted(DATA.glob("msg_*.txt"))] if DATA.is_dir() else []
SEEDS += [
    simple(),
    legacy("报价单", "单价十二元", "gb2312", attachment=("价格.pdf", "gbk")),
    legacy("見積書", "単価", "iso-2022-jp"),
    build_msg(subject="Offer", body="Price", sender=("A", "a@ourco.com"), recipients=[("B", "b@acme.com", "to")]),
]
LIMITS = Limits(max_bytes=2_000_000)
FUZZ = settings(
    max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large]
)


def _answers(data: bytes) -> None:
    for reader in (lambda d: parse_message(d, limits=LIMITS), lambda d: forwarded_message(d, limits=LIMITS)):
        try:
            assert isinstance(reader(data), ParsedMessage)
        except MessageError as error:
            assert isinstance(error.message, str) and error.message


@FUZZ
@given(st.binary(max_size=4_000))
def test_random_bytes(data):
    _answers(data)


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from(SEEDS)))
    for _ in range(draw(st.integers(1, 12))):
        action = draw(st.sampled_from(["flip", "cut", "insert", "duplicate"]))
        at = draw(st.integers(0, max(len(data) - 1, 0)))
        if action == "flip" and data:
            data[at] = draw(st.integers(0, 255))
        elif action == "cut":
            del data[at : at + draw(st.integers(1, 200))]
        elif action == "insert":
            data[at:at] = draw(
                st.sampled_from(
                    [
                        b"\n",
                        b"\r\n\r\n",
                        b"=?utf-8?b?5oql?=",
                        b"=?gb2312?q?=B1=A8?=",
                        b"--",
                        b'boundary="x"\n--x\n',
                        b"Content-Type: message/rfc822\n\n",
                        b"charset=x-unknown",
                        b"\xff\xfe\x00",
                        b"filename*=gbk''%C9%CF",
                        b"Content-Transfer-Encoding: base64\n",
                        b"To: ,,,<@>\n",
                        b"Date: 99 Foo 99999 99:99:99 +9999\n",
                    ]
                )
            )
        elif action == "duplicate":
            data[at:at] = data[at : at + draw(st.integers(1, 500))]
    return bytes(data)


@FUZZ
@given(mutated())
def test_mutated_real_messages(data):
    _answers(data)
