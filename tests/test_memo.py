from __future__ import annotations

from bot.memo import remembered


def test_a_value_is_read_once_and_a_kept_none_counts_as_found() -> None:
    reads: list[str] = []

    def read(key: str) -> str | None:
        reads.append(key)
        return None

    memo: dict[str, str | None] = {}
    assert remembered(memo, "쿠베", read, limit=4) is None
    assert remembered(memo, "쿠베", read, limit=4) is None
    assert reads == ["쿠베"]


def test_a_full_memo_is_emptied_before_the_next_value_is_kept() -> None:
    memo: dict[int, int] = {}
    for key in range(3):
        remembered(memo, key, lambda k: k * 10, limit=3)
    assert remembered(memo, 7, lambda k: k * 10, limit=3) == 70
    assert memo == {7: 70}
