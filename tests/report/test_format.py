import json

from remission.report.format import clean, esc, nice_ticks, script_json, unit_ticks


def test_esc_escapes_markup_and_quotes():
    assert esc("<img src=x onerror='a'>&\"") == ("&lt;img src=x onerror=&#x27;a&#x27;&gt;"
                                                 "&amp;&quot;")
    assert esc(None) == ""


def test_script_json_cannot_close_the_script_and_stays_json():
    obj = {"name": "</script><script>alert(1)</script><!-- x -->", "v": [1.5, float("nan")]}
    s = script_json(obj)
    assert "</" not in s and "<!--" not in s and "<" not in s
    # the same data come back (NaN as null), so the page reads exactly what was written
    assert json.loads(s) == {"name": obj["name"], "v": [1.5, None]}


def test_script_json_line_separators_escaped():
    s = script_json({"a": "x\u2028y"})
    assert "\u2028" not in s and json.loads(s) == {"a": "x\u2028y"}


def test_clean_numpy():
    import numpy as np

    assert clean({"a": np.array([1.0, np.inf]), "b": np.int64(3), "c": np.bool_(True)}) == \
        {"a": [1.0, None], "b": 3, "c": True}


def test_ticks():
    assert nice_ticks(62.56, 6) == [0, 20, 40, 60]  # at most n intervals, round steps
    assert nice_ticks(5, 5) == [0, 1, 2, 3, 4, 5]
    assert unit_ticks(62.56, "months") == [0, 12, 24, 36, 48, 60]
    assert unit_ticks(120, "months") == [0, 24, 48, 72, 96, 120]
