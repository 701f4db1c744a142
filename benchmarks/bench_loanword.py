"""Loanword matching measured on the built-in lexicon: how often Hangul and Latin forms are linked right.

    python benchmarks/bench_loanword.py [--cutoffs 0.7 0.75 0.8 0.85 0.9]

Each lexicon group with a pure-Hangul and a pure-Latin form gives true pairs (레플리카 / replica);
forms of different groups are false pairs. Groups are split in two halves (even and odd positions):
the cut-off is chosen on the even half and reported on the odd half, so the figure is not fitted.

- pairs: of all Hangul × Latin pairs scoring ≥ cut-off, the share in the same group (precision), and
  the share of true pairs found (recall).
- best match in a lesson-sized vocabulary: for each Hangul form, `best_latin_match` over the Latin forms
  of its own group plus 40 other groups (a lesson's worth of English words): right, wrong, none.
"""

from __future__ import annotations

import argparse
import random
import re
import sys

from bot.it_lexicon import Lexicon, load_it_lexicon
from bot.loanword import DEFAULT_CUTOFF, best_latin_match, loanword_match

_HANGUL = re.compile(r"[가-힣 ]+")
_LATIN = re.compile(r"[A-Za-z][A-Za-z .\-]*")


def split_forms(group: tuple[str, ...]) -> tuple[list[str], list[str]]:
    """Return a group's pure-Hangul and pure-Latin forms."""
    hangul = [t for t in group if _HANGUL.fullmatch(t) and len(t.replace(" ", "")) >= 2]
    latin = [t for t in group if _LATIN.fullmatch(t) and sum(c.isalpha() for c in t) >= 2]
    return hangul, latin


def pair_scores(groups: list[tuple[str, ...]]) -> list[tuple[float, bool]]:
    """Return the score of every Hangul × Latin pair over the groups, and whether it is a true pair."""
    forms = [split_forms(g) for g in groups]
    latin_all = [(i, latin) for i, (_, ls) in enumerate(forms) for latin in ls]
    out: list[tuple[float, bool]] = []
    for i, (hs, _) in enumerate(forms):
        for hangul in hs:
            for j, latin in latin_all:
                value = loanword_match(hangul, latin)
                if value > 0 or i == j:
                    out.append((value, i == j))
    return out


def pair_report(scores: list[tuple[float, bool]], cutoff: float) -> tuple[float, float, int, int]:
    linked = [same for value, same in scores if value >= cutoff]
    true_total = sum(same for _, same in scores)
    right = sum(linked)
    precision = right / len(linked) if linked else 1.0
    return precision, right / true_total if true_total else 0.0, right, len(linked) - right


def best_match_report(groups: list[tuple[str, ...]], cutoff: float, seed: int = 7) -> tuple[int, int, int]:
    rng = random.Random(seed)
    right = wrong = none = 0
    forms = [split_forms(g) for g in groups]
    for i, (hs, ls) in enumerate(forms):
        if not ls:
            continue
        others = [j for j in range(len(groups)) if j != i]
        sample = rng.sample(others, min(40, len(others)))
        vocabulary = list(ls) + [latin for j in sample for latin in forms[j][1]]
        for hangul in hs:
            link = best_latin_match(hangul, vocabulary, cutoff=cutoff)
            if link is None:
                none += 1
            elif link.latin in ls:
                right += 1
            else:
                wrong += 1
    return right, wrong, none


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--cutoffs", type=float, nargs="*", default=[0.6, 0.7, 0.75, 0.8, 0.85, 0.9, 1.0])
    parser.add_argument("-v", "--verbose", action="store_true", help="list wrong links on the held-out half")
    args = parser.parse_args(argv)
    lexicon: Lexicon = load_it_lexicon()
    groups = list(lexicon.groups())
    halves = {"tune (even groups)": groups[0::2], "held out (odd groups)": groups[1::2]}
    for name, half in halves.items():
        scores = pair_scores(half)
        print(f"{name}: {len(half)} groups")
        for cutoff in args.cutoffs:
            precision, recall, right, wrong = pair_report(scores, cutoff)
            b_right, b_wrong, b_none = best_match_report(half, cutoff)
            b_total = b_right + b_wrong + b_none
            b_precision = b_right / (b_right + b_wrong) if b_right + b_wrong else 1.0
            mark = " ← default" if cutoff == DEFAULT_CUTOFF else ""
            print(
                f"  cutoff {cutoff:.2f}: all pairs precision {precision:6.1%} recall {recall:6.1%} "
                f"({right} right, {wrong} wrong) | best match in a lesson vocabulary: precision {b_precision:6.1%}, "
                f"{b_right}/{b_total} right, {b_wrong} wrong, {b_none} none{mark}"
            )
    if args.verbose:
        forms = [split_forms(g) for g in halves["held out (odd groups)"]]
        latin_all = [(i, latin) for i, (_, ls) in enumerate(forms) for latin in ls]
        for i, (hs, _) in enumerate(forms):
            for hangul in hs:
                for j, latin in latin_all:
                    if i != j and loanword_match(hangul, latin) >= DEFAULT_CUTOFF:
                        print(f"    wrong: {hangul} ~ {latin} ({loanword_match(hangul, latin):.2f})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
