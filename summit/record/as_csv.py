"""The record as a zip of CSV files, one per table, written as it is sent."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator

from django.utils.functional import Promise

from summit.record.contents import Record
from summit.record.tables import tables

# A spreadsheet opening the file would run a cell that starts with one of these as a formula.
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
FLUSH_BYTES = 64 * 1024


class _Pipe(io.RawIOBase):
    """Where the zip is written: bytes collect here until the generator hands them on."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data) -> int:
        self.chunks.append(bytes(data))
        self.size += len(data)
        return len(data)

    def take(self) -> bytes:
        data = b"".join(self.chunks)
        self.chunks.clear()
        self.size = 0
        return data


def cell(value) -> str | int | float:
    """A value as the CSV holds it: empty for none, yes/no, and text that a spreadsheet
    would take for a formula kept as text by a leading apostrophe."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Promise):  # a label marked for translation, in the record's language
        value = str(value)
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


def csv_zip(record: Record) -> Iterator[bytes]:
    """The zip's bytes, a piece at a time: each table is read and compressed as it goes."""
    pipe = _Pipe()
    with zipfile.ZipFile(pipe, mode="w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for table in tables(record):
            with (
                bundle.open(f"{table.name}.csv", mode="w") as member,
                io.TextIOWrapper(member, encoding="utf-8-sig", newline="") as text,
            ):
                writer = csv.writer(text)
                writer.writerow(table.columns)
                for row in table.rows(record):
                    writer.writerow([cell(row[column]) for column in table.columns])
                    if pipe.size >= FLUSH_BYTES:
                        yield pipe.take()
            yield pipe.take()
    yield pipe.take()
