"""The benchmarks' plots (benchmarks/plotting.py): reliability bins, and PNGs with or without matplotlib."""

from __future__ import annotations

import sys
from pathlib import Path
from types import ModuleType

import pytest

BENCHMARKS = Path(__file__).resolve().parent.parent / "benchmarks"
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"


@pytest.fixture
def plotting(monkeypatch: pytest.MonkeyPatch) -> ModuleType:
    monkeypatch.syspath_prepend(str(BENCHMARKS))
    import plotting

    return plotting


def test_reliability_bins_group_by_predicted_probability(plotting: ModuleType) -> None:
    probabilities = [0.05, 0.15, 0.12, 0.95, 1.0, 0.91]
    correct = [False, True, False, True, True, False]
    bins = plotting.reliability_bins(probabilities, correct, bins=10)
    # Empty bins are left out; 1.0 falls in the last bin.
    assert [(b.low, b.count) for b in bins] == [(0.0, 1), (0.1, 2), (0.9, 3)]
    assert bins[1].mean_predicted == pytest.approx(0.135)
    assert bins[1].observed == 0.5
    assert bins[2].observed == pytest.approx(2 / 3)


def test_the_calibration_error_is_zero_when_predictions_match_outcomes(plotting: ModuleType) -> None:
    calibrated = plotting.reliability_bins([0.5, 0.5, 1.0, 1.0], [True, False, True, True], bins=2)
    assert plotting.expected_calibration_error(calibrated) == 0.0
    overconfident = plotting.reliability_bins([0.9] * 10, [True] * 6 + [False] * 4, bins=10)
    assert plotting.expected_calibration_error(overconfident) == pytest.approx(0.3)


@pytest.mark.parametrize(
    ("probabilities", "correct", "says"),
    [
        ([0.5, 0.6], [True], "2 probabilities but 1 outcomes"),
        ([float("nan")], [True], "between 0 and 1"),
        ([1.2], [True], "between 0 and 1"),
        ([-0.1], [False], "between 0 and 1"),
    ],
)
def test_reliability_bins_refuse_bad_input(
    plotting: ModuleType, probabilities: list[float], correct: list[bool], says: str
) -> None:
    with pytest.raises(ValueError, match=says):
        plotting.reliability_bins(probabilities, correct)


def test_without_matplotlib_the_plot_is_skipped_and_nothing_written(
    plotting: ModuleType, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    # A None entry in sys.modules makes `import matplotlib` raise ImportError, as if not installed.
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    target = tmp_path / "out" / "reliability.png"
    assert plotting.reliability_plot([0.2, 0.8], [False, True], target) is None
    assert not target.exists()
    assert "pip install -e '.[bench]'" in plotting.SKIPPED


def test_a_reliability_plot_is_a_png(plotting: ModuleType, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="the bench extra is not installed")
    target = tmp_path / "out" / "reliability.png"
    probabilities = [i / 100 for i in range(100)]
    correct = [i % 3 != 0 for i in range(100)]
    assert plotting.reliability_plot(probabilities, correct, target) == target
    assert target.read_bytes()[:8] == PNG_MAGIC


def test_a_line_plot_is_a_png(plotting: ModuleType, tmp_path: Path) -> None:
    pytest.importorskip("matplotlib", reason="the bench extra is not installed")
    target = tmp_path / "scale.png"
    series = [
        plotting.Series("p50", ((30.0, 0.3), (900.0, 0.5), (9000.0, 1.9)), "tab:blue"),
        plotting.Series("p99", ((30.0, 1.1), (900.0, 2.4), (9000.0, 8.5)), "tab:red"),
    ]
    written = plotting.line_plot(
        series,
        target,
        title="latency",
        x_label="entries",
        y_label="ms",
        guides=[plotting.Guide("target", 10.0)],
        log_x=True,
        annotate=True,
    )
    assert written == target
    assert target.read_bytes()[:8] == PNG_MAGIC
