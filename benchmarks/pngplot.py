"""A tiny, dependency-free line-plot writer: RGB canvas → PNG with `zlib` + `struct` only.

Enough for a benchmark chart: axes, a light grid, linear or log-10 x, linear y from 0, lines with
square markers, dashed horizontal guides, a legend, and text in a 5x7 bitmap font (digits, A-Z and a
little punctuation; lower case is drawn as upper case).

    png = line_plot([Series("P50", ((30, 0.4), (900, 0.6)), BLUE)], title="...", x_label="...", y_label="...")
    Path("plot.png").write_bytes(png)
"""

from __future__ import annotations

import itertools
import math
import struct
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

Colour = tuple[int, int, int]

BLACK: Colour = (0, 0, 0)
WHITE: Colour = (255, 255, 255)
GRID: Colour = (225, 225, 225)
BLUE: Colour = (31, 119, 180)
RED: Colour = (214, 39, 40)
GREEN: Colour = (44, 160, 44)
GREY: Colour = (110, 110, 110)

_GLYPH_ROWS = 7
_GLYPH_COLS = 5
# Each glyph: 7 rows of 5 columns, '#' = ink.
_FONT: dict[str, tuple[str, ...]] = {
    "0": (" ### ", "#   #", "#  ##", "# # #", "##  #", "#   #", " ### "),
    "1": ("  #  ", " ##  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "2": (" ### ", "#   #", "    #", "   # ", "  #  ", " #   ", "#####"),
    "3": ("#####", "   # ", "  #  ", "   # ", "    #", "#   #", " ### "),
    "4": ("   # ", "  ## ", " # # ", "#  # ", "#####", "   # ", "   # "),
    "5": ("#####", "#    ", "#### ", "    #", "    #", "#   #", " ### "),
    "6": ("  ## ", " #   ", "#    ", "#### ", "#   #", "#   #", " ### "),
    "7": ("#####", "    #", "   # ", "  #  ", " #   ", " #   ", " #   "),
    "8": (" ### ", "#   #", "#   #", " ### ", "#   #", "#   #", " ### "),
    "9": (" ### ", "#   #", "#   #", " ####", "    #", "   # ", " ##  "),
    "A": (" ### ", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
    "B": ("#### ", "#   #", "#   #", "#### ", "#   #", "#   #", "#### "),
    "C": (" ### ", "#   #", "#    ", "#    ", "#    ", "#   #", " ### "),
    "D": ("#### ", "#   #", "#   #", "#   #", "#   #", "#   #", "#### "),
    "E": ("#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#####"),
    "F": ("#####", "#    ", "#    ", "#### ", "#    ", "#    ", "#    "),
    "G": (" ### ", "#   #", "#    ", "# ###", "#   #", "#   #", " ####"),
    "H": ("#   #", "#   #", "#   #", "#####", "#   #", "#   #", "#   #"),
    "I": (" ### ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", " ### "),
    "J": ("  ###", "   # ", "   # ", "   # ", "   # ", "#  # ", " ##  "),
    "K": ("#   #", "#  # ", "# #  ", "##   ", "# #  ", "#  # ", "#   #"),
    "L": ("#    ", "#    ", "#    ", "#    ", "#    ", "#    ", "#####"),
    "M": ("#   #", "## ##", "# # #", "# # #", "#   #", "#   #", "#   #"),
    "N": ("#   #", "#   #", "##  #", "# # #", "#  ##", "#   #", "#   #"),
    "O": (" ### ", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "P": ("#### ", "#   #", "#   #", "#### ", "#    ", "#    ", "#    "),
    "Q": (" ### ", "#   #", "#   #", "#   #", "# # #", "#  # ", " ## #"),
    "R": ("#### ", "#   #", "#   #", "#### ", "# #  ", "#  # ", "#   #"),
    "S": (" ####", "#    ", "#    ", " ### ", "    #", "    #", "#### "),
    "T": ("#####", "  #  ", "  #  ", "  #  ", "  #  ", "  #  ", "  #  "),
    "U": ("#   #", "#   #", "#   #", "#   #", "#   #", "#   #", " ### "),
    "V": ("#   #", "#   #", "#   #", "#   #", "#   #", " # # ", "  #  "),
    "W": ("#   #", "#   #", "#   #", "# # #", "# # #", "# # #", " # # "),
    "X": ("#   #", "#   #", " # # ", "  #  ", " # # ", "#   #", "#   #"),
    "Y": ("#   #", "#   #", " # # ", "  #  ", "  #  ", "  #  ", "  #  "),
    "Z": ("#####", "    #", "   # ", "  #  ", " #   ", "#    ", "#####"),
    ".": ("     ", "     ", "     ", "     ", "     ", " ##  ", " ##  "),
    ",": ("     ", "     ", "     ", "     ", " ##  ", "  #  ", " #   "),
    "-": ("     ", "     ", "     ", "#####", "     ", "     ", "     "),
    "/": ("     ", "    #", "   # ", "  #  ", " #   ", "#    ", "     "),
    "%": ("##   ", "##  #", "   # ", "  #  ", " #   ", "#  ##", "   ##"),
    "(": ("   # ", "  #  ", " #   ", " #   ", " #   ", "  #  ", "   # "),
    ")": (" #   ", "  #  ", "   # ", "   # ", "   # ", "  #  ", " #   "),
    ":": ("     ", " ##  ", " ##  ", "     ", " ##  ", " ##  ", "     "),
    "=": ("     ", "     ", "#####", "     ", "#####", "     ", "     "),
    "<": ("   # ", "  #  ", " #   ", "#    ", " #   ", "  #  ", "   # "),
    ">": (" #   ", "  #  ", "   # ", "    #", "   # ", "  #  ", " #   "),
    "+": ("     ", "  #  ", "  #  ", "#####", "  #  ", "  #  ", "     "),
    " ": ("     ",) * 7,
}
_UNKNOWN = ("#####", "#   #", "#   #", "#   #", "#   #", "#   #", "#####")


def encode_png(width: int, height: int, rgb: bytes) -> bytes:
    """Return an 8-bit RGB PNG of `rgb` (rows top to bottom, 3 bytes per pixel)."""
    if width <= 0 or height <= 0 or len(rgb) != width * height * 3:
        raise ValueError("rgb must hold width * height * 3 bytes")
    stride = width * 3
    # Filter type 0 (none) before every scanline.
    raw = b"".join(b"\x00" + rgb[row * stride : (row + 1) * stride] for row in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)  # 8-bit, truecolour, no interlace
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(raw, 9)) + chunk(b"IEND", b"")


class Canvas:
    """A white RGB raster with the few drawing operations a line plot needs."""

    def __init__(self, width: int, height: int) -> None:
        self.width = width
        self.height = height
        self.pixels = bytearray(WHITE * (width * height))

    def set(self, x: int, y: int, colour: Colour) -> None:
        """Paint one pixel (silently clipped to the canvas)."""
        if 0 <= x < self.width and 0 <= y < self.height:
            offset = (y * self.width + x) * 3
            self.pixels[offset : offset + 3] = bytes(colour)

    def rect(self, x0: int, y0: int, x1: int, y1: int, colour: Colour) -> None:
        """Fill the rectangle with corners (x0, y0) and (x1, y1), inclusive."""
        for y in range(min(y0, y1), max(y0, y1) + 1):
            for x in range(min(x0, x1), max(x0, x1) + 1):
                self.set(x, y, colour)

    def line(self, x0: int, y0: int, x1: int, y1: int, colour: Colour, *, width: int = 1, dash: int = 0) -> None:
        """Draw a line (Bresenham), `width` pixels thick; `dash` > 0 draws dashes of that length."""
        dx, dy = abs(x1 - x0), -abs(y1 - y0)
        sx, sy = (1 if x0 < x1 else -1), (1 if y0 < y1 else -1)
        error = dx + dy
        step = 0
        low, high = -(width // 2), (width - 1) // 2
        while True:
            if not dash or (step // dash) % 2 == 0:
                for ox in range(low, high + 1):
                    for oy in range(low, high + 1):
                        self.set(x0 + ox, y0 + oy, colour)
            if x0 == x1 and y0 == y1:
                return
            doubled = 2 * error
            if doubled >= dy:
                error += dy
                x0 += sx
            if doubled <= dx:
                error += dx
                y0 += sy
            step += 1

    def text(self, x: int, y: int, value: str, colour: Colour = BLACK, *, scale: int = 2) -> None:
        """Write `value` with its top-left corner at (x, y)."""
        for index, char in enumerate(value.upper()):
            glyph = _FONT.get(char, _UNKNOWN)
            left = x + index * (_GLYPH_COLS + 1) * scale
            for row, bits in enumerate(glyph):
                for column, bit in enumerate(bits):
                    if bit == "#":
                        self.rect(
                            left + column * scale,
                            y + row * scale,
                            left + (column + 1) * scale - 1,
                            y + (row + 1) * scale - 1,
                            colour,
                        )

    def vertical_text(self, x: int, y: int, value: str, colour: Colour = BLACK, *, scale: int = 2) -> None:
        """Write `value` top to bottom, one character under the other, starting at (x, y)."""
        for index, char in enumerate(value):
            self.text(x, y + index * (_GLYPH_ROWS + 2) * scale, char, colour, scale=scale)

    def png(self) -> bytes:
        """Return the canvas as PNG bytes."""
        return encode_png(self.width, self.height, bytes(self.pixels))


def text_width(value: str, scale: int = 2) -> int:
    """Return the width in pixels of `value` written at `scale`."""
    return max(len(value) * (_GLYPH_COLS + 1) * scale - scale, 0)


@dataclass(frozen=True)
class Series:
    """One plotted line: its legend label, its (x, y) points and its colour."""

    label: str
    points: tuple[tuple[float, float], ...]
    colour: Colour


@dataclass(frozen=True)
class Guide:
    """A dashed horizontal reference line (a target) with its legend label."""

    label: str
    y: float
    colour: Colour = GREEN


def nice_step(span: float, ticks: int = 5) -> float:
    """Return a tick step of 1, 2 or 5 times a power of ten giving about `ticks` ticks over `span`."""
    if span <= 0:
        return 1.0
    raw = span / ticks
    power = 10.0 ** math.floor(math.log10(raw))
    return next(float(m * power) for m in (1, 2, 5, 10) if m * power >= raw)


def format_tick(value: float) -> str:
    """Return a short tick label: no trailing zeros, thousands without decimals."""
    if value >= 1000 or value == int(value):
        return str(round(value))
    return f"{value:.2f}".rstrip("0").rstrip(".")


def line_plot(
    series: Sequence[Series],
    *,
    title: str,
    x_label: str,
    y_label: str,
    guides: Sequence[Guide] = (),
    log_x: bool = False,
    annotate: bool = False,
    width: int = 760,
    height: int = 500,
) -> bytes:
    """Return a PNG line plot of `series` (y from 0; x linear or log 10), with `guides` dashed;
    `annotate` writes each point's y value next to it."""
    points = [point for item in series for point in item.points]
    if not points:
        raise ValueError("nothing to plot")
    canvas = Canvas(width, height)
    left, right, top, bottom = 90, width - 45, 60, height - 70
    xs = [x for x, _ in points]
    if log_x:
        if min(xs) <= 0:
            raise ValueError("a log x axis needs positive x values")
        x_low = 10 ** math.floor(math.log10(min(xs)))
        x_high = 10 ** math.ceil(math.log10(max(xs)))
        if x_high == x_low:
            x_high *= 10

        def x_of(value: float) -> int:
            share = (math.log10(value) - math.log10(x_low)) / (math.log10(x_high) - math.log10(x_low))
            return left + round(share * (right - left))

        x_ticks: Iterable[float] = [10.0**p for p in range(round(math.log10(x_low)), round(math.log10(x_high)) + 1)]
    else:
        x_low, x_high = min(xs), max(xs)
        if x_high == x_low:
            x_high = x_low + 1
        x_step = nice_step(x_high - x_low)
        x_low = math.floor(x_low / x_step) * x_step
        x_high = math.ceil(x_high / x_step) * x_step

        def x_of(value: float) -> int:
            return left + round((value - x_low) / (x_high - x_low) * (right - left))

        x_ticks = [x_low + i * x_step for i in range(round((x_high - x_low) / x_step) + 1)]
    y_top = max([y for _, y in points] + [guide.y for guide in guides]) * 1.1 or 1.0
    y_step = nice_step(y_top)
    y_top = math.ceil(y_top / y_step) * y_step

    def y_of(value: float) -> int:
        return bottom - round(value / y_top * (bottom - top))

    # Grid, ticks and tick labels.
    for tick in x_ticks:
        x = x_of(tick)
        canvas.line(x, top, x, bottom, GRID)
        canvas.line(x, bottom, x, bottom + 5, BLACK)
        label = format_tick(tick)
        canvas.text(x - text_width(label) // 2, bottom + 10, label)
    for index in range(round(y_top / y_step) + 1):
        value = index * y_step
        y = y_of(value)
        canvas.line(left, y, right, y, GRID)
        canvas.line(left - 5, y, left, y, BLACK)
        label = format_tick(value)
        canvas.text(left - 10 - text_width(label), y - _GLYPH_ROWS, label)
    # Axes and labels.
    canvas.line(left, top, left, bottom, BLACK, width=2)
    canvas.line(left, bottom, right, bottom, BLACK, width=2)
    canvas.text((left + right - text_width(x_label)) // 2, bottom + 38, x_label)
    canvas.vertical_text(14, (top + bottom - len(y_label) * 18) // 2, y_label)
    canvas.text((width - text_width(title)) // 2, 18, title)
    # Guides, then the series on top.
    for guide in guides:
        canvas.line(left, y_of(guide.y), right, y_of(guide.y), guide.colour, width=2, dash=8)
    for item in series:
        placed = [(x_of(x), y_of(y)) for x, y in sorted(item.points)]
        for (x0, y0), (x1, y1) in itertools.pairwise(placed):
            canvas.line(x0, y0, x1, y1, item.colour, width=3)
        for x, y in placed:
            canvas.rect(x - 4, y - 4, x + 4, y + 4, item.colour)
    if annotate:
        # Each x's values stacked above its highest point, largest on top, in their series' colour.
        stacks: dict[int, list[tuple[float, int, Colour]]] = {}
        for item in series:
            for value_x, value in item.points:
                stacks.setdefault(x_of(value_x), []).append((value, y_of(value), item.colour))
        for x, stack in stacks.items():
            highest = min(y for _, y, _ in stack)
            for rank, (value, _, colour) in enumerate(sorted(stack, key=lambda entry: entry[0])):
                label = f"{value:.2f}"
                place = max(left + 4, min(x - text_width(label) // 2, right - text_width(label)))
                top_y = highest - 24 - rank * 18
                canvas.rect(place - 2, top_y - 2, place + text_width(label) + 2, top_y + 15, WHITE)
                canvas.text(place, top_y, label, colour)
    # Legend, top left inside the plot area.
    entries: list[tuple[str, Colour, int]] = [(item.label, item.colour, 0) for item in series]
    entries += [(guide.label, guide.colour, 8) for guide in guides]
    for row, (label, colour, dash) in enumerate(entries):
        y = top + 14 + row * 24
        canvas.line(left + 14, y, left + 50, y, colour, width=3, dash=dash)
        canvas.text(left + 60, y - _GLYPH_ROWS, label)
    return canvas.png()
