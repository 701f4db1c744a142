"""Every number the matcher is tuned by, in one place.

`MatcherTuning` is passed to `Matcher`, which hands it to `SearchIndex` and `Normaliser`; nothing
in the matcher reads a module constant. The defaults are calibrated on the eval sets (see
benchmarks/); the config file may override the four decision cutoffs, and tests build their own
instance instead of patching modules. Grouped by the stage that reads them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, fields

# `decision_model` naming the model packaged in bot/data (fitted by benchmarks/fit_decision.py).
PACKAGED_MODEL = "packaged"


@dataclass(frozen=True)
class MatcherTuning:
    """Cutoffs, weights and confidences of normalisation, scoring and the answer/suggest/none split."""

    # -- Decision (matching.Matcher) ---------------------------------------------------------------
    # From `suggest_threshold` up, the top entry reaches the decision: answered outright when the
    # decision model (`decision`; its coefficients and answer cutoff are data, fitted offline) says
    # it is likely right, else the best `max_suggestions` are offered. `decision_model` is
    # PACKAGED_MODEL, a path to a model file, or None for the hand-set rule: answer at
    # `answer_threshold` with a lead of `margin` over the best entry outside the top's family.
    # `answer_threshold + margin` also marks a score too decisive to need the long-post re-read,
    # and another lesson's entry at `answer_threshold` outranks one lesson's out_of_scope.
    decision_model: str | None = PACKAGED_MODEL
    answer_threshold: float = 0.50
    suggest_threshold: float = 0.40
    margin: float = 0.06
    max_suggestions: int = 3
    # Autocomplete lists matches from this share of `suggest_threshold` up: a prefix says less.
    autocomplete_share: float = 0.5
    # Questions with at least this many words are read twice: whole, and by their closing sentences,
    # which hold at least `tail_min_words` words and whose scores are discounted so a whole-question
    # match still wins ties.
    long_question_words: int = 12
    tail_min_words: int = 2
    tail_discount: float = 0.95

    # -- Curriculum (matching.Matcher) ------------------------------------------------------------
    # Entries of the same role in several lessons (summary, the entry about the lesson itself): the
    # current lesson's goes first when it scores within this much of another lesson's.
    counterpart_window: float = 0.25
    # Another lesson's best entry this far below the top entry is clearly weaker: the question
    # belongs to the top's lesson, and only that lesson's entries compete with the top for margin.
    lesson_margin: float = 0.06
    # With no lesson of the day, the (at most `route_lessons`) lessons whose best entries score within
    # `counterpart_window` of the top are each asked alone; one whose answer the decision model finds
    # likelier by `route_margin` than every other's answers.
    # The lesson of the day's best entry within this much of another lesson's top entry is a near
    # tie: the lesson of the day answers unless the other's answer is `route_margin` likelier.
    prefer_window: float = 0.12
    route_lessons: int = 3
    route_margin: float = 0.2

    # -- Scoring (index.SearchIndex) ---------------------------------------------------------------
    # An entry's score: its best phrasing's F-score, how much of the question its whole vocabulary
    # explains, and how well its title matches, blended by these weights (they sum to 1).
    phrasing_weight: float = 0.5
    coverage_weight: float = 0.4
    title_weight: float = 0.1
    # How much an answer-only word counts when asking "does this entry explain the question's words".
    answer_word_factor: float = 0.6
    # A subsection's vocabulary explains its parent's subject (the term the parent's heading is about)
    # this much: the subsection is about it without naming it (see `SearchIndex._parent_subjects`).
    inherited_word_factor: float = 1.0
    # Words no lesson uses weigh this much relative to the mean IDF; number-ish or one-character ones
    # (a stray ending, "3am") weigh `untelling_unknown_factor` of that.
    unknown_weight: float = 0.9
    untelling_unknown_factor: float = 0.5
    # Unknown words lower every score by up to this much, fully only in short questions.
    unknown_penalty: float = 0.6
    # Questions up to this many words count as short: their unknown words are likely the real topic.
    short_question_words: int = 3
    # Below `min_known_share` of known words (by weight) a question is about something else
    # entirely; below `mostly_unknown_share` it loses up to `mostly_unknown_penalty` more.
    min_known_share: float = 0.25
    mostly_unknown_share: float = 0.5
    mostly_unknown_penalty: float = 0.4
    # A comparison-table row (VM vs 컨테이너: 확장) whose aspect (its row label) the question does not
    # name loses this share of its score: its cells' words (무겁고 느림) are shared by the concept
    # entries and by sibling rows, and the aspect the question names should decide among them.
    unnamed_aspect_penalty: float = 0.1
    # A subsection the question names alone (and none of its siblings) takes the score of the best
    # entry whose title does not name it, when at most this much below it (`SearchIndex._named_subsection_first`).
    named_subsection_window: float = 0.2
    # When the current lesson's best entry is this close to another lesson's, the current one wins.
    prefer_bonus: float = 0.03
    # Past `direct_limit` entries, scoring walks candidate entries picked by words found in at most
    # `candidate_df` entries, at most `max_candidates` of them (plus the current lesson's).
    direct_limit: int = 400
    candidate_df: int = 60
    max_candidates: int = 120

    # -- Normalisation (normalize.Normaliser and its stages) ---------------------------------------
    # Longer questions are cut: a bound keeps the cost flat for a 10,000-character paste.
    max_question_chars: int = 1200
    # Per-word caches for questions; bounded, then started afresh.
    word_cache_size: int = 20_000
    # Confidence of a Latin word read as Korean typed in English mode (it spells a lesson word).
    slip_confidence: float = 0.9
    # Confidence of a lesson word found inside a longer, partly unknown word ("프로그램만" holds "로그").
    segment_confidence: float = 0.95
    # Loanwords the lessons spell only one way ("Dockerfile", and a question's "도커파일") are linked when
    # their consonant skeletons agree exactly and have at least `loanword_min_sounds` sounds (fewer
    # match unrelated native words: 사람 and "slim" share L-M); such a reading has `loanword_confidence`.
    loanword_min_sounds: int = 4
    loanword_confidence: float = 0.9
    # Typo correction: words from `typo_min_chars` characters (Korean: jamo) up are corrected within
    # one edit, and within two once longer than `one_edit_max_chars`.
    typo_min_chars: int = 4
    one_edit_max_chars: int = 8
    latin_one_edit_confidence: float = 0.9
    latin_two_edit_confidence: float = 0.8
    korean_typo_confidence: float = 0.85
    # A typo fixed in a piece of run-together Korean: one guess on top of another.
    segment_typo_confidence: float = 0.8
    # Two Latin words read as one mistyped glossary compound ("self healng"): at least this long
    # together, within `compound_max_edits`.
    compound_min_chars: int = 8
    compound_max_edits: int = 2
    compound_confidence: float = 0.85
    # 초성 words: one lesson word with those initials is read at `choseong_confidence`; each further
    # one lowers every reading by `choseong_step`, never below `choseong_floor`.
    choseong_confidence: float = 0.9
    choseong_step: float = 0.1
    choseong_floor: float = 0.5
    # A question one of whose words in at most this many names an IT concept foreign to the top
    # entry's lesson is about that concept (`MatchFeatures.foreign_topic`): "데몬셋은 언제 써?".
    foreign_topic_words: int = 5

    def __post_init__(self) -> None:
        for field in fields(self):
            value = getattr(self, field.name)
            if field.type == "float" and not (isinstance(value, int | float) and 0.0 <= value <= 1.0):
                raise ValueError(f"{field.name} must be between 0 and 1, got {value!r}")
            if field.type == "int" and not (isinstance(value, int) and value >= 0):
                raise ValueError(f"{field.name} must be a whole number, at least 0, got {value!r}")
        if self.suggest_threshold > self.answer_threshold:
            raise ValueError("suggest_threshold must not be above answer_threshold")
        if not 1 <= self.max_suggestions <= 25:
            raise ValueError("max_suggestions must be between 1 and 25")  # a Discord select holds 25
        blend = self.phrasing_weight + self.coverage_weight + self.title_weight
        if not math.isclose(blend, 1.0):
            raise ValueError(f"phrasing_weight + coverage_weight + title_weight must be 1, got {blend}")
        if self.foreign_topic_words < 1:
            raise ValueError("foreign_topic_words must be at least 1")
        if self.choseong_floor > self.choseong_confidence:
            raise ValueError("choseong_floor must not be above choseong_confidence")
