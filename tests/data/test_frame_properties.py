"""Property tests: the event codings agree, and ``rows`` always points at the source row."""
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

from remission.data import from_dataframe

SETTINGS = settings(max_examples=50, deadline=None)


@SETTINGS
@given(st.lists(st.tuples(st.floats(0.01, 100), st.booleans(), st.sampled_from(["OS", "PFS"])),
                min_size=1, max_size=30))
def test_codings_agree_and_rows_point_at_source(rows):
    t = np.array([r[0] for r in rows])
    ev = np.array([r[1] for r in rows])
    par = np.array([r[2] for r in rows])
    ev[0] = True  # at least one event overall
    df = pd.DataFrame({"AVAL": t, "CNSR": (~ev).astype(int), "event": ev.astype(int),
                       "status": ev.astype(int) + 1, "flag": ev, "PARAMCD": par})
    for code in ("OS", "PFS"):
        m = par == code
        if not ev[m].any():
            continue
        ref = from_dataframe(df, param=code)
        assert ref.meta["event_column"] == "CNSR"
        for kw in ({"event": "event"}, {"event": "status"}, {"event": "flag"},
                   {"cnsr": "CNSR"}):
            d = from_dataframe(df, param=code, **kw)
            assert d.event.tolist() == ref.event.tolist() == ev[m].tolist()
        np.testing.assert_array_equal(ref.rows, np.flatnonzero(m) + 1)
        np.testing.assert_array_equal(ref.time, df.AVAL.to_numpy()[ref.rows - 1])
