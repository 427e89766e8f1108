"""The domain's words live once, in xiaoan.vocabulary: the contract accepts exactly those words
(and only adds synonyms), the blank ledgers offer them, and every named word is one of them."""

from __future__ import annotations

import pytest

from pipelines import contract
from pipelines.templates.choices import VOCABULARIES
from xiaoan import vocabulary
from xiaoan.rules import load_rules

NAMES = ("CATEGORIES", "LEVELS", "STATUSES", "SCHOOL_TYPES", "OWNERSHIPS", "INSPECTION_TYPES", "MEETING_TYPES",
         "MEETING_LEVELS")


@pytest.mark.parametrize("name", NAMES)
def test_the_contract_accepts_exactly_the_vocabulary_words_in_their_order(name):
    assert tuple(getattr(contract, name)) == getattr(vocabulary, name)


@pytest.mark.parametrize("name", NAMES)
def test_the_blank_ledgers_offer_the_vocabulary_words(name):
    assert getattr(vocabulary, name) in VOCABULARIES.values()


def test_synonyms_for_a_word_the_vocabulary_lacks_are_refused():
    with pytest.raises(ValueError, match="超级"):
        contract._synonyms(vocabulary.LEVELS, {"超级": ("super",)})


def test_the_gravest_level_is_the_last_level():
    assert vocabulary.LEVELS[-1] == vocabulary.GRAVE_LEVEL


def test_closed_is_a_rectified_status_and_both_are_statuses():
    assert vocabulary.CLOSED_STATUS in vocabulary.RECTIFIED_STATUSES
    assert set(vocabulary.RECTIFIED_STATUSES) <= set(vocabulary.STATUSES)


def test_named_meeting_and_inspection_words_are_in_their_vocabularies():
    assert {vocabulary.TOWN_MEETING, vocabulary.PLENARY} <= set(vocabulary.MEETING_TYPES)
    assert (vocabulary.DISTRICT_LEVEL, vocabulary.TOWN_LEVEL) == vocabulary.MEETING_LEVELS
    assert vocabulary.LEGAL_EDUCATION in vocabulary.INSPECTION_TYPES


def test_every_level_has_a_risk_weight_in_the_rules():
    risk = load_rules().as_sql()["risk"]
    assert tuple(vocabulary.LEVEL_RISK_KEY) == vocabulary.LEVELS
    assert set(vocabulary.LEVEL_RISK_KEY.values()) <= set(risk)
