"""The benchmark's dependency-free PNG plot writer produces a valid PNG (benchmarks/pngplot.py)."""

from __future__ import annotations

import struct
import zlib
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"


@pytest.fixture
def pngplot(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import pngplot

    return pngplot


def chunks(png: bytes) -> list[tuple[bytes, bytes]]:
    """Split a PNG into (type, data) chunks, checking every CRC."""
    assert png[:8] == b"\x89PNG\r\n\x1a\n"
    found: list[tuple[bytes, bytes]] = []
    offset = 8
    while offset < len(png):
        (length,) = struct.unpack(">I", png[offset : offset + 4])
        kind = png[offset + 4 : offset + 8]
        data = png[offset + 8 : offset + 8 + length]
        (crc,) = struct.unpack(">I", png[offset + 8 + length : offset + 12 + length])
        assert crc == zlib.crc32(kind + data) & 0xFFFFFFFF
        found.append((kind, data))
        offset += 12 + length
    return found


def test_a_line_plot_is_a_valid_png_of_the_asked_size(pngplot: ModuleType) -> None:
    series = [
        pngplot.Series("p50", ((30.0, 0.3), (900.0, 0.5), (9000.0, 1.9)), pngplot.BLUE),
        pngplot.Series("p99", ((30.0, 1.1), (900.0, 2.4), (9000.0, 8.5)), pngplot.RED),
    ]
    png = pngplot.line_plot(
        series,
        title="Matcher latency",
        x_label="entries",
        y_label="ms",
        guides=[pngplot.Guide("target 10 ms", 10.0)],
        log_x=True,
        width=400,
        height=300,
    )
    parts = chunks(png)
    assert [kind for kind, _ in parts] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour, compression, filtering, interlace = struct.unpack(">IIBBBBB", parts[0][1])
    assert (width, height, depth, colour, compression, filtering, interlace) == (400, 300, 8, 2, 0, 0, 0)
    raw = zlib.decompress(parts[1][1])
    assert len(raw) == height * (1 + width * 3)
    rows = [raw[r * (1 + width * 3) : (r + 1) * (1 + width * 3)] for r in range(height)]
    assert all(row[0] == 0 for row in rows)  # filter "none" on every scanline
    pixels = b"".join(row[1:] for row in rows)
    # Both series' colours are drawn, on a mostly white background.
    triples = {pixels[i : i + 3] for i in range(0, len(pixels), 3)}
    assert {bytes(pngplot.BLUE), bytes(pngplot.RED), bytes(pngplot.GREEN), bytes(pngplot.WHITE)} <= triples


def test_encode_png_checks_its_input(pngplot: ModuleType) -> None:
    with pytest.raises(ValueError, match="width"):
        pngplot.encode_png(2, 2, b"\x00" * 11)
    tiny = pngplot.encode_png(1, 1, b"\xff\x00\x00")
    assert zlib.decompress(chunks(tiny)[1][1]) == b"\x00\xff\x00\x00"


def test_ticks_are_round_numbers(pngplot: ModuleType) -> None:
    assert pngplot.nice_step(11.0) == 5.0
    assert pngplot.nice_step(0.9) == 0.2
    assert [pngplot.format_tick(v) for v in (0.0, 2.5, 10.0, 1000.0, 0.25)] == ["0", "2.5", "10", "1000", "0.25"]
