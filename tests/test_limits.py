"""remission.limits: every limit refuses before any allocation, naming the option."""
import doctest

import pytest

import remission.limits as limits
from remission.errors import OptionError
from remission.limits import (MAX_DPI, MAX_FIGURE_INCHES, MAX_REPLICATES, check_count,
                              check_figure)


def test_docstring_examples():
    res = doctest.testmod(limits)
    assert res.attempted > 0 and res.failed == 0


def test_counts_in_range_pass_and_others_name_the_option():
    assert check_count(MAX_REPLICATES, "--reps", MAX_REPLICATES) == MAX_REPLICATES
    assert check_count("12", "--n", 100) == 12
    for bad, words in [(MAX_REPLICATES + 1, "at most"), (-1, "at least"), ("nan", "whole"),
                       ("inf", "whole"), (2.5, "whole"), ("abc", "whole"), (None, "whole")]:
        with pytest.raises(OptionError, match=words) as e:
            check_count(bad, "--reps", MAX_REPLICATES)
        assert str(e.value).startswith("--reps ")


def test_figure_limits():
    check_figure(7.0, None, 300)
    check_figure(MAX_FIGURE_INCHES, 1.0, 50)
    for w, h, dpi, words in [(MAX_FIGURE_INCHES + 1, 4, 100, "--width"),
                             (7, float("inf"), 100, "--height"),
                             (7, 4, MAX_DPI + 1, "--dpi"),
                             (7, 4, float("nan"), "--dpi"),
                             (100, 100, 300, "megapixels")]:
        with pytest.raises(OptionError, match=words):
            check_figure(w, h, dpi)
