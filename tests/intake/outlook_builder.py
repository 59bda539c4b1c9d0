"""A minimal Outlook .msg (an OLE compound file in the [MS-OXMSG] layout), written with extract-msg's OLE writer.

Nobody ships a small .msg under a licence we can use here, so the test writes one: the
streams and property tables Outlook writes for a sent message, no more.
"""

from __future__ import annotations

import struct
import tempfile
from pathlib import Path

from extract_msg.ole_writer import OleWriter

UNICODE, BINARY, INTEGER = 0x001F, 0x0102, 0x0003
RECIPIENT_TYPE = {"to": 1, "cc": 2, "bcc": 3}


def _utf16(text: str) -> bytes:
    return text.encode("utf-16-le")


def _properties(writer: OleWriter, storage: str, values: dict[int, object], header: bytes) -> None:
    """Streams for variable-length values and the fixed-size property table that lists them."""
    table = header
    prefix = f"{storage}/" if storage else ""
    for tag, value in values.items():
        kind = tag & 0xFFFF
        if kind == INTEGER:
            table += struct.pack("<IIQ", tag, 6, value)
            continue
        data = _utf16(value) if kind == UNICODE else value
        writer.addEntry(f"{prefix}__substg1.0_{tag:08X}", data)
        table += struct.pack("<IIII", tag, 6, len(data), 0)
    writer.addEntry(f"{prefix}__properties_version1.0", table)


def build_msg(
    *,
    subject: str,
    body: str,
    sender: tuple[str, str],
    recipients: list[tuple[str, str, str]],
    attachments: list[str] = (),
    headers: str = "",
    html: bytes = b"",
) -> bytes:
    writer = OleWriter()
    values: dict[int, object] = {
        0x001A001F: "IPM.Note",
        0x0037001F: subject,
        0x0C1A001F: sender[0],
        0x0C1F001F: sender[1],
        0x5D01001F: sender[1],
        0x1035001F: "<msg-1@ourco.com>",
    }
    if body:
        values[0x1000001F] = body
    if html:
        values[0x10130102] = html
    if headers:
        values[0x007D001F] = headers
    count = struct.pack("<IIII", len(recipients), len(attachments), len(recipients), len(attachments))
    _properties(writer, "", values, b"\0" * 8 + count + b"\0" * 8)
    for index, (name, address, field) in enumerate(recipients):
        storage = f"__recip_version1.0_#{index:08X}"
        writer.addEntry(storage, storage=True)
        _properties(
            writer,
            storage,
            {0x3001001F: name, 0x3003001F: address, 0x39FE001F: address, 0x0C150003: RECIPIENT_TYPE[field]},
            b"\0" * 8,
        )
    for index, filename in enumerate(attachments):
        storage = f"__attach_version1.0_#{index:08X}"
        writer.addEntry(storage, storage=True)
        _properties(writer, storage, {0x3707001F: filename, 0x37010102: b"file content", 0x37050003: 1}, b"\0" * 8)
    writer.addEntry("__nameid_version1.0", storage=True)
    for stream in ("00020102", "00030102", "00040102"):  # named-property tables, empty
        writer.addEntry(f"__nameid_version1.0/__substg1.0_{stream}", b"")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "message.msg"
        writer.write(str(path))
        return path.read_bytes()
