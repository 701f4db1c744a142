"""Plots for the benchmarks, drawn with matplotlib: the `bench` extra (`pip install -e '.[bench]'`).

matplotlib is imported only when a plot is drawn, and never by the bot. Without it a benchmark still
prints its numbers: the plotting functions return None and the caller prints `SKIPPED`. Figures are
built with the object API (`Figure`), not pyplot, so nothing global is touched and no display needed.

    written = reliability_plot(probabilities, correct, Path("benchmarks/out/reliability.png"))
    print(f"plot: {written}" if written else SKIPPED)
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from matplotlib.figure import Figure

SKIPPED = "plot skipped: matplotlib is not installed (pip install -e '.[bench]')"


@dataclass(frozen=True)
class Series:
    """One line of a line plot: (x, y) points and a matplotlib colour ("tab:blue")."""

    label: str
    points: tuple[tuple[float, float], ...]
    color: str


@dataclass(frozen=True)
class Guide:
    """A horizontal reference line, such as a latency target."""

    label: str
    y: float


@dataclass(frozen=True)
class Bin:
    """Predictions whose probability fell in [low, high): how many, their mean, and how many were right."""

    low: float
    high: float
    count: int
    mean_predicted: float
    observed: float


def _new_figure(width: float, height: float) -> Figure | None:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        return None
    return Figure(figsize=(width, height), dpi=100, layout="constrained")


def _save(figure: Figure, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(path, format="png")
    return path


def line_plot(
    series: Sequence[Series],
    path: Path,
    *,
    title: str,
    x_label: str,
    y_label: str,
    guides: Sequence[Guide] = (),
    log_x: bool = False,
    annotate: bool = False,
) -> Path | None:
    """Write a PNG line plot; return its path, or None when matplotlib is not installed."""
    figure = _new_figure(8, 4.5)
    if figure is None:
        return None
    axes = figure.add_subplot()
    for line in series:
        xs = [x for x, _ in line.points]
        ys = [y for _, y in line.points]
        axes.plot(xs, ys, marker="o", color=line.color, label=line.label)
        if annotate:
            for x, y in line.points:
                axes.annotate(f"{y:.2f}", (x, y), textcoords="offset points", xytext=(0, 6), ha="center", fontsize=8)
    for guide in guides:
        axes.axhline(guide.y, color="tab:green", linestyle="--", linewidth=1, label=guide.label)
    if log_x:
        from matplotlib.ticker import StrMethodFormatter

        axes.set_xscale("log")
        axes.xaxis.set_major_formatter(StrMethodFormatter("{x:g}"))
    axes.set_title(title)
    axes.set_xlabel(x_label)
    axes.set_ylabel(y_label)
    axes.set_ylim(bottom=0)
    axes.grid(alpha=0.3)
    axes.legend()
    return _save(figure, path)


def reliability_bins(probabilities: Iterable[float], correct: Iterable[bool], *, bins: int = 10) -> list[Bin]:
    """Group predictions into `bins` equal-width probability bins; return the non-empty ones, lowest first.

    `probabilities[i]` is what the model predicted for decision i being right, `correct[i]` whether
    it was. A well calibrated model has `observed` close to `mean_predicted` in every bin.
    """
    predicted = [float(p) for p in probabilities]
    outcomes = [bool(c) for c in correct]
    if len(predicted) != len(outcomes):
        raise ValueError(f"{len(predicted)} probabilities but {len(outcomes)} outcomes")
    if bins < 1:
        raise ValueError(f"bins must be at least 1, got {bins}")
    bad = next((p for p in predicted if math.isnan(p) or not 0.0 <= p <= 1.0), None)
    if bad is not None:
        raise ValueError(f"probabilities must be between 0 and 1, got {bad}")
    grouped: list[list[tuple[float, bool]]] = [[] for _ in range(bins)]
    for probability, right in zip(predicted, outcomes, strict=True):
        # 1.0 belongs to the last bin, which is closed on the right.
        grouped[min(int(probability * bins), bins - 1)].append((probability, right))
    found: list[Bin] = []
    for number, members in enumerate(grouped):
        if members:
            found.append(
                Bin(
                    low=number / bins,
                    high=(number + 1) / bins,
                    count=len(members),
                    mean_predicted=sum(p for p, _ in members) / len(members),
                    observed=sum(right for _, right in members) / len(members),
                )
            )
    return found


def expected_calibration_error(bins: Sequence[Bin]) -> float:
    """Return the count-weighted mean gap between predicted and observed accuracy (0 = calibrated)."""
    total = sum(b.count for b in bins)
    if total == 0:
        return 0.0
    return sum(b.count * abs(b.mean_predicted - b.observed) for b in bins) / total


def reliability_plot(
    probabilities: Iterable[float],
    correct: Iterable[bool],
    path: Path,
    *,
    bins: int = 10,
    title: str = "Reliability: predicted probability vs observed accuracy",
) -> Path | None:
    """Write a reliability (calibration) PNG: observed accuracy against mean predicted probability per
    bin, the diagonal of perfect calibration, and below it how many predictions fell in each bin.
    Return its path, or None when matplotlib is not installed."""
    found = reliability_bins(probabilities, correct, bins=bins)
    figure = _new_figure(6, 7)
    if figure is None:
        return None
    top, bottom = figure.subplots(2, 1, sharex=True, height_ratios=[3, 1])
    top.plot([0, 1], [0, 1], linestyle="--", color="grey", linewidth=1, label="perfectly calibrated")
    top.plot(
        [b.mean_predicted for b in found],
        [b.observed for b in found],
        marker="o",
        color="tab:blue",
        label="observed",
    )
    total = sum(b.count for b in found)
    top.set_title(f"{title}\n{total} predictions, ECE {expected_calibration_error(found):.3f}", fontsize=10)
    top.set_ylabel("observed accuracy")
    top.set_xlim(0, 1)
    top.set_ylim(0, 1)
    top.grid(alpha=0.3)
    top.legend(loc="upper left")
    width = 1 / bins
    bottom.bar(
        [b.low for b in found], [b.count for b in found], width=width, align="edge", color="tab:blue", edgecolor="white"
    )
    bottom.set_xlabel("predicted probability")
    bottom.set_ylabel("count")
    bottom.grid(alpha=0.3)
    return _save(figure, path)
