"""Report sections: each ``build(ctx)`` returns a :class:`Section`, or None when the feature
it reports is not available (then the section is left out, and the report says so)."""
from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class Section:
    id: str
    title: str
    html: str                                     # the body (already escaped)
    data: dict = field(default_factory=dict)      # JSON results of this section
    figures: dict = field(default_factory=dict)   # div id -> plotly figure dict


def builders():
    """Section builders in report order (the plain-language summary is added on top)."""
    from . import competing, cure, data, evidence, km, lifeyears, models, origin

    return [("data", data.build), ("origin", origin.build), ("km", km.build),
            ("competing", competing.build),
            ("models", models.build),
            ("hta", lifeyears.build), ("cure", cure.build), ("evidence", evidence.build)]
