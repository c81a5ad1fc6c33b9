"""Is an article about paired aid to Xinjiang (对口援疆)? The rule behind ``--relevant-only``.

A news export holds thousands of articles of which a few hundred are about 援疆. An
article is relevant when both hold:

1. **Xinjiang**: it names a recipient of the gazetteer (a prefecture, county, XPCC
   division, or 新疆/南疆/兵团 itself) at least once, and
2. **paired aid**: it uses an aid cue word at least ``MIN_CUES`` times — 援疆, 对口支援,
   对口援疆, 援建, 援疆干部 … (``AID_CUES``) — or names a donor of the gazetteer together
   with a cooperation word (帮扶, 结对, 东西部协作, ``PAIRING_CUES``).

So a Xinjiang travel feature (no aid cue) and Shanghai's paired aid to Yunnan (no
Xinjiang place) are both left out. The rule reads only the text and the title; its
decision and the evidence are returned, so an ingest report can say why.
"""

from __future__ import annotations

from dataclasses import dataclass

from aidstats.gazetteer import Gazetteer

AID_CUES = ("援疆", "对口支援", "对口援疆", "援建", "援助新疆", "支援新疆", "援受双方")
PAIRING_CUES = ("帮扶", "结对", "东西部协作", "消费帮扶", "协作", "支援")
MIN_CUES = 1


@dataclass(frozen=True)
class Relevance:
    """The decision for one article, and what it rests on."""

    relevant: bool
    places: tuple[str, ...]
    cues: tuple[str, ...]
    reason: str


def relevance(text: str, gazetteer: Gazetteer, *, title: str = "") -> Relevance:
    """Whether ``title`` + ``text`` is about paired aid to Xinjiang (see the module)."""
    whole = f"{title}\n{text}"
    matches = gazetteer.find(whole)
    places = tuple(dict.fromkeys(m.canonical for m in matches if m.kind == "recipient"))
    donors = tuple(dict.fromkeys(m.canonical for m in matches if m.kind == "donor"))
    cues = tuple(c for c in AID_CUES if c in whole)
    count = sum(whole.count(c) for c in cues)
    pairing = tuple(c for c in PAIRING_CUES if c in whole) if donors else ()
    if not places:
        return Relevance(False, places, cues, "names no place in Xinjiang")
    if count >= MIN_CUES:
        return Relevance(True, places, cues, f"Xinjiang places and aid cues ({'/'.join(cues)})")
    if pairing:
        return Relevance(
            True, places, pairing, f"a donor ({donors[0]}) and cooperation cues in Xinjiang"
        )
    return Relevance(False, places, cues, "names Xinjiang but no aid or cooperation cue")
