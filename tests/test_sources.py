"""Locating verbatim quotes in PDF-extracted source texts."""

from pathlib import Path

import pytest

from kennisgraaf.build.sources import QuoteNotFound, line_of, locate, normalise, read_source
from kennisgraaf.config import bundled_root

DRENTHE = bundled_root() / "data" / "bronnen" / "001_51a662fe140cf0d6.txt"
SEEDS = Path(__file__).resolve().parents[2] / "shared" / "seeds"


def test_quote_across_a_hyphenated_line_break_is_found_at_its_raw_offsets():
    text = read_source(DRENTHE)
    quote = "De provinciale rol zien wij als strategisch regisseur aan de voorkant van een aantal beleidsprocessen"
    [where] = locate(quote, text)
    raw = text[where.start:where.end]
    assert "be-\nleidsprocessen" in raw.replace(" \n", "\n")
    assert normalise(raw) == quote


def test_real_hyphen_followed_by_space_is_kept():
    text = read_source(DRENTHE)
    assert locate("lobby- en netwerkactiviteiten", text)


def test_made_up_quote_is_not_found():
    with pytest.raises(QuoteNotFound):
        locate("De provincie schaft het sociaal domein af.", read_source(DRENTHE))


def test_line_of_counts_from_one():
    text = read_source(DRENTHE)
    [where] = locate("Ons kenmerk 2/5.11/2010000732", text)
    assert line_of(text, where.start) == 2


@pytest.mark.skipif(not SEEDS.is_dir(), reason="needs ../shared/seeds beside the repository")
def test_bundled_source_texts_are_byte_identical_to_the_seeds():
    for seed in sorted(SEEDS.glob("*.txt")):
        assert (bundled_root() / "data" / "bronnen" / seed.name).read_bytes() == seed.read_bytes()
