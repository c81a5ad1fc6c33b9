"""The labelling rules of ``data/raw/labelling.yaml``, validated on load."""

from __future__ import annotations

import functools
from pathlib import Path

from pydantic import BaseModel, ConfigDict, ValidationError, field_validator

from aidstats.errors import AidstatsError
from aidstats.vocab import AUTO_CATEGORIES, AUTO_MEASURES
from aidstats.yamlio import load_yaml


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class UnitRule(_Strict):
    """A measure word whose measure depends on the subject (个 of 村 is a count)."""

    default: str
    items: tuple[str, ...] = ()
    count: tuple[str, ...] = ()
    events: tuple[str, ...] = ()


class CategoryCues(_Strict):
    subject: tuple[str, ...]
    context: tuple[str, ...] = ()


class IndicatorRule(_Strict):
    id: str
    subjects: tuple[str, ...]
    measure: str


class Rules(_Strict):
    """Everything the labeller reads from ``labelling.yaml``."""

    measures: dict[str, str]
    unit_subjects: dict[str, UnitRule]
    growth_cues: tuple[str, ...]
    share_cues: tuple[str, ...]
    categories: dict[str, CategoryCues]
    dac_codes: dict[str, int]
    strip_before: tuple[str, ...]
    lead_verbs: tuple[str, ...]
    after_verbs: tuple[str, ...]
    result_verbs: tuple[str, ...] = ()
    frame_units: tuple[str, ...]
    indicators: tuple[IndicatorRule, ...] = ()

    @field_validator("measures")
    @classmethod
    def _known_measures(cls, value: dict[str, str]) -> dict[str, str]:
        bad = sorted({m for m in value.values() if m not in AUTO_MEASURES})
        if bad:
            raise ValueError(f"unknown measure(s) {bad}; use one of {', '.join(AUTO_MEASURES)}")
        return value

    @field_validator("categories", "dac_codes")
    @classmethod
    def _known_categories(cls, value: dict[str, object]) -> dict[str, object]:
        bad = sorted(set(value) - set(AUTO_CATEGORIES))
        if bad:
            raise ValueError(f"unknown categor(ies) {bad}; use {', '.join(AUTO_CATEGORIES)}")
        return value

    def unit_measure(self, unit: str | None, subject: str) -> tuple[str | None, str]:
        """The measure a unit gives, and how sure: 'unit', 'unit+subject' or 'none'."""
        if not unit:
            return None, "none"
        rule = self.unit_subjects.get(unit)
        if rule is not None:
            for measure in ("count", "items", "events"):
                if any(subject.endswith(w) for w in getattr(rule, measure)):
                    return measure, "unit+subject"
            return rule.default, "unit"
        for length in range(len(unit), 0, -1):
            measure = self.measures.get(unit[-length:])
            if measure is not None:
                return measure, "unit"
        return None, "none"


def _one_line(path: Path, exc: ValidationError) -> str:
    err = exc.errors()[0]
    where = ".".join(str(p) for p in err["loc"])
    return f"{path}: {where}: {err['msg']}; fix that entry ({len(exc.errors())} problem(s) in all)"


@functools.lru_cache(maxsize=8)
def _load(path: Path, mtime: float) -> Rules:
    doc = load_yaml(path, what="labelling rules")
    try:
        return Rules.model_validate(doc)
    except ValidationError as exc:
        raise AidstatsError(_one_line(path, exc)) from None


def load_rules(path: Path) -> Rules:
    """The labelling rules at ``path`` (cached until the file changes)."""
    if not path.is_file():
        raise AidstatsError(
            f"{path}: labelling rules not found; copy data/raw/labelling.yaml from aidstats"
        )
    return _load(path, path.stat().st_mtime)
