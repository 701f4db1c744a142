"""The /stats chart: a valid PNG whose bars stack each day's outcomes in proportion."""

from __future__ import annotations

import struct
import zlib

import pytest

from bot.chart import BACKGROUND, stacked_bars

GREEN, RED = (59, 165, 93), (237, 66, 69)


def decode(png: bytes) -> tuple[int, int, list[list[tuple[int, int, int]]]]:
    """Read back an 8-bit RGB PNG with filter 0 rows (what stacked_bars writes)."""
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    position, chunks = 8, {}
    while position < len(png):
        (length,) = struct.unpack(">I", png[position : position + 4])
        kind = png[position + 4 : position + 8]
        data = png[position + 8 : position + 8 + length]
        (crc,) = struct.unpack(">I", png[position + 8 + length : position + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF
        chunks[kind] = data
        position += 12 + length
    width, height, depth, colour_type = struct.unpack(">IIBB", chunks[b"IHDR"][:10])
    assert (depth, colour_type) == (8, 2)
    raw = zlib.decompress(chunks[b"IDAT"])
    rows = []
    for y in range(height):
        line = raw[y * (width * 3 + 1) : (y + 1) * (width * 3 + 1)]
        assert line[0] == 0
        rows.append([tuple(line[1 + 3 * x : 4 + 3 * x]) for x in range(width)])
    return width, height, rows  # type: ignore[return-value]


def test_bars_stack_outcomes_in_proportion_to_the_tallest_day() -> None:
    width, height, rows = decode(stacked_bars([[3, 1], [1, 0]], [GREEN, RED], width=100, height=100, margin=10))
    assert (width, height) == (100, 100)
    first, second = 30, 70  # the middle of each half of the plot
    column = [rows[y][first] for y in range(10, 90)]
    assert (column.count(GREEN), column.count(RED)) == (60, 20)  # 3:1 of an 80-pixel plot
    assert column.index(RED) < column.index(GREEN)  # declined stacked on top
    assert [rows[y][second] for y in range(10, 90)].count(GREEN) == 20  # a quarter of the tallest
    assert rows[5][first] == BACKGROUND


def test_no_questions_is_an_empty_chart_and_a_bar_needs_every_outcome() -> None:
    _, _, rows = decode(stacked_bars([], [GREEN, RED], width=20, height=20, margin=2))
    assert GREEN not in {pixel for row in rows for pixel in row}
    with pytest.raises(ValueError, match="one count per colour"):
        stacked_bars([[1]], [GREEN, RED])
