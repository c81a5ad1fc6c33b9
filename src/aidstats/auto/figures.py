"""Automatic figures: one labelled row per quantity mention, in the columns of ``figures``."""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from typing import Any

import pandas as pd

from aidstats.auto.label import NON_ADDITIVE, category_of, indicator_of, measure_of
from aidstats.auto.period import Period, PeriodFinder
from aidstats.auto.place import COLLECTIVE_DONOR, WHOLE, Found, PlaceFinder, Scope
from aidstats.auto.rules import Rules, load_rules
from aidstats.auto.subject import Subject, SubjectFinder, clause_parts, masked
from aidstats.clean import CleanArticle
from aidstats.corpus import Article
from aidstats.dictionary import columns
from aidstats.gazetteer import Gazetteer, Glossary, load_gazetteer, load_glossary
from aidstats.paths import ProjectPaths
from aidstats.vocab import COVERED_KINDS

PART_CUE = re.compile(r"其中")
THIS_YEAR = ("今年", "本年")
PLAN_WORDS = ("安排", "计划", "预算", "下达", "年度", "全年")
SAME_PERIOD = "同期"  # 同期线上销售额: the same period as the figure told before
TWO_SIDES = "两地"  # 沪喀两地, 嘉沙两地: an exchange between donor and recipient …
# a count of administrative places: the unit (and what follows the number) names them
PLACE_COUNT = re.compile(
    r"个?(?:(?:受援|对口|贫困|脱贫)?(?:县市|县|市|乡镇|乡|镇|村|社区)(?![长委级民])|援疆省市)"
)
ADDED_UP = re.compile(r"累计|新增|新建|先后|覆盖")
ABSORBED = re.compile(r"吸纳[^，,；;。]{0,8}就业|吸纳[^，,；;。]{0,6}(?:劳动力|群众|职工)")
# words that make a count of places the aid's scope (对口支援3个县, 扎根7个县市)
SCOPE = re.compile(r"对口支援|对口援助|扎根|援疆省市|受援")
SPEECH = re.compile(r"[我咱俺]|家里|以前|过去")
LEVELS = ("share", "ratio")  # measures that are a level, never a sum over time
EXCHANGE = ("people", "person_times", "events")  # … of people or of events
SENTENCE = re.compile(r"[^。！？!?]*[。！？!?]?")
UNKNOWN_PLACE_FACTOR = 0.7


@dataclass(frozen=True)
class Knowledge:
    """The rules, gazetteer and glossary the labeller reads (all data in data/raw/)."""

    rules: Rules
    gazetteer: Gazetteer
    glossary: Glossary

    @classmethod
    def load(cls, paths: ProjectPaths) -> Knowledge:
        return cls(
            load_rules(paths.labelling),
            load_gazetteer(paths.gazetteer),
            load_glossary(paths.glossary),
        )


def in_speech(text: str, pos: int) -> bool:
    """Whether ``pos`` is inside a person's quoted words: an opening “ not yet closed, whose
    words so far are a clause or more (not a quoted name, “石榴籽”) or speak as 我/咱/家里."""
    opened, closed = text.rfind("“", 0, pos), text.rfind("”", 0, pos)
    if opened < 0 or closed > opened:
        return False
    words = text[opened + 1 : pos]
    return bool(SPEECH.search(words)) or ("，" in words and len(words) >= 8)


class ArticleLabeller:
    """Labels the mentions of one article."""

    def __init__(self, know: Knowledge, article: Article, clean: CleanArticle) -> None:
        self.know, self.article, self.clean = know, article, clean
        self.places = PlaceFinder(know.gazetteer)
        self.subjects = SubjectFinder(know.rules, self.places.spans)
        self.periods = PeriodFinder(article.published)
        body = [p for p in clean.paragraphs if p.kind in ("paragraph", "heading")]
        frame_text = "".join([article.title or "", *(p.text for p in body[:2])])
        self.frame = self.periods.frame(frame_text)
        self.summary = self.places.is_summary(article.title or "", article.donor)
        self.donor = (
            None if self.summary else self.places.article_donor(article.title or "", article.donor)
        )
        self.sites = self.places.anchored_sites(clean.text)
        self.spans: list[tuple[int, int]] = []
        self._subjects: dict[tuple[int, str], str] = {}  # (sentence, measure) → last subject
        self._at = 0

    def _spans_in(self, sentence: str, offset: int) -> list[tuple[int, int]]:
        """Spans (in sentence offsets) of every quantity mention inside the sentence."""
        end = offset + len(sentence)
        return [(a - offset, b - offset) for a, b in self.spans if a >= offset and b <= end]

    def _sentence(self, m: pd.Series) -> tuple[str, int]:
        """The mention's sentence and the mention's offset in it."""
        sentence = str(m["sentence"])
        start = int(m["clean_start"])
        lo = self.clean.text.rfind(sentence, max(0, start - len(sentence)), start + len(sentence))
        return sentence, (start - lo if lo >= 0 else max(0, sentence.find(str(m["text"]))))

    def _period(self, sentence: str, pos: int, para: str, para_pos: int) -> tuple[Period, str]:
        if SAME_PERIOD in sentence[:pos]:
            found = self.periods.frame(self.clean.text[: self._at], last=True, spans_only=True)
            if found:
                return found, "同期: the period told before"
        found = self.periods.nearest(sentence, pos)
        this_year = found and found.type == "cumulative" and found.evidence in THIS_YEAR
        if this_year and any(w in sentence for w in PLAN_WORDS):  # 今年安排资金: a budget
            found = Period(found.start, found.end, "annual", found.evidence + "+plan")
        if found:
            return found, "sentence"
        found = self.periods.frame(para[:para_pos], last=True)
        if found:
            return found, "paragraph"
        if self.frame:
            return self.frame, "article frame"
        return self.periods.fallback(), "publication date"

    @staticmethod
    def _counts_places(measure: str, unit: str | None, after: str, clause: str) -> bool:
        """Whether a count is of administrative places (3个县, 12县市, 96个村): the scope
        of the aid, a stock at publication, unless the clause adds them up (累计, 新增)."""
        if measure not in ("count", "items") or ADDED_UP.search(clause):
            return False
        return bool(PLACE_COUNT.match((unit or "") + after))

    def _by_measure(self, period: Period, measure: str, left: str) -> Period:
        """The period as the measure reads it: people taken on are a stock, a rate of 今年
        is the year's level, a distance or an age has no period."""
        if measure == "people" and ABSORBED.search(left) and period.type != "point":
            # 吸纳就业2300人: the people employed now, a stock at the end of the period
            at = period.end or str(self.periods.published.year)
            return Period(at, at, "point", period.evidence + "+吸纳: a stock")
        if measure in LEVELS and period.type == "cumulative" and period.evidence in THIS_YEAR:
            # a rate reached this year (今年本科上线率达到58.6%) is the year's, not a running sum
            return Period(period.start, period.end, "annual", period.evidence + "+level")
        if measure == "other":
            return Period(None, None, "point", "not a flow or stock of aid")
        return period

    def _donor_and_region(self, scopes: list[Scope], measure: str) -> tuple[Found, Found]:
        """Donor and region, then both sides when the sentence names the pairing (浙阿) or
        an exchange between them (两地); a distance between the two sides (皖皮两地相距
        4000余公里) stays the recipient's."""
        donor, region = self._donor_and_place(scopes)
        sentence = scopes[0].text
        pair = self.places.pair_word(sentence, donor.value)
        if pair.value and region.scope != "sentence" and measure != "other":
            return donor, pair
        if TWO_SIDES in sentence and measure in EXCHANGE and donor.value and region.value:
            return donor, Found(f"{donor.value}和{region.value}", "两地: both sides")
        return donor, region

    def _donor_and_place(self, scopes: list[Scope]) -> tuple[Found, Found]:
        """Donor, then region: an article's declared recipients, or in a review of several
        donors the recipients of the number's own donor (the programme as a whole: 新疆)."""
        sentence, paragraph, _ = scopes
        if not self.summary:
            donor = self.places.donor(sentence, self.donor, paragraph=paragraph)
            region = self.places.region(scopes, self.article.recipient, self.sites)
            return donor, region if region.value else self.places.paired(donor.value)
        donor = self.places.summary_donor(sentence, paragraph)
        if donor.value in (None, COLLECTIVE_DONOR):
            region = self.places.region([sentence], ())
            return donor, region if region.value else Found(WHOLE, "the whole programme")
        mine = tuple(self.know.gazetteer.recipients_of(donor.value))
        region = self.places.region(scopes[:2], mine, self.sites)
        return donor, region if region.value else self.places.paired(donor.value)

    def _not_a_place(
        self, subject: Subject, measure: str, sentence_at: int, *, part: bool
    ) -> Subject:
        """A subject that is only a place (其中兵团第十三师1.1亿元: a part of a breakdown)
        names where, not what: it takes the subject of the sentence's last figure of the
        same measure (援疆资金), or after 其中 the article's last one. Each real subject is
        remembered for the next."""
        key = (sentence_at, measure)
        text = subject.text
        covered = sum(b - a for a, b in self.places.spans(text)) if text else 0
        if text and covered >= len(text):
            earlier = self._subjects.get(key) or (
                self._subjects.get((-1, measure)) if part else None
            )
            if earlier:
                return replace(subject, text=earlier, where=f"{subject.where}: a part of {earlier}")
            return subject
        if text:
            self._subjects[key] = self._subjects[(-1, measure)] = text
        return subject

    def label(self, m: pd.Series) -> dict[str, Any]:
        """Every figure column for one mention, plus the evidence in ``note``."""
        rules = self.know.rules
        sentence, pos = self._sentence(m)
        self._at = int(m["clean_start"])
        end = pos + len(str(m["text"]))
        unit = None if pd.isna(m["unit"]) else str(m["unit"])
        spans = self._spans_in(sentence, int(m["clean_start"]) - pos)
        numbers_masked = masked(sentence, spans, (pos, end))
        subject = self.subjects.find(numbers_masked, pos, end, kind=str(m["kind"]))
        left, right, _ = clause_parts(numbers_masked, pos, end)
        measure, m_sure, m_why = measure_of(rules, kind=str(m["kind"]), unit=unit, subject=subject)
        part = PART_CUE.search(sentence, 0, pos) is not None
        subject = self._not_a_place(subject, measure, int(m["clean_start"]) - pos, part=part)
        paragraph = self.clean.paragraph_at(int(m["clean_start"]))
        para_pos = int(m["clean_start"]) - self.clean.text.find(paragraph.text)
        category, c_sure, c_why = category_of(
            rules,
            measure=measure,
            subject=subject.text + subject.verb,
            clause=left + right,
            sentence=sentence,
            unit=unit,
            paragraph=paragraph.text,
        )
        counts_places = self._counts_places(measure, unit, numbers_masked[end:], left + right)
        if counts_places:
            measure = "count"  # places are tallied, not built (data/raw/README.md)
        if counts_places and SCOPE.search(sentence):
            category, c_sure, c_why = "other", 0.85, "the places the aid covers (3个县)"
        elif measure == "money" and in_speech(paragraph.text, para_pos):
            category, c_sure, c_why = "other", 0.8, "money in a person's own words (“…”)"
        english = self.know.glossary.english(subject.text) if subject.text else None
        indicator, known = indicator_of(
            rules, subject=subject.text, measure=measure, category=category, english=english
        )
        period, p_where = self._period(sentence, pos, paragraph.text, para_pos)
        if counts_places:
            period = Period(*[str(self.periods.published.year)] * 2, "point", "places: a stock")
            p_where = "counted noun"
        period = self._by_measure(period, measure, left)
        in_sentence = Scope("sentence", sentence, pos)
        scopes = [
            in_sentence,
            Scope("paragraph", paragraph.text, max(para_pos, 0), before_only=True),
            Scope("title", self.article.title or "", 0),
        ]
        donor, region = self._donor_and_region(scopes, measure)
        program = self.places.programme(in_sentence)
        confidence = m_sure * c_sure
        if donor.value is None or region.value is None:
            confidence *= UNKNOWN_PLACE_FACTOR
        evidence = (
            f"subject {subject.text or '?'} ({subject.where}); measure: {m_why}; "
            f"category: {c_why}; period: {period.evidence} ({p_where}); "
            f"donor: {donor.scope}; region: {region.scope}"
        )
        reason = NON_ADDITIVE.get(measure) or ("not an aid result" if category == "other" else None)
        return {
            "indicator": indicator,
            "label_zh": subject.text or "",
            "label_en": english or "",
            "category": category,
            "dac_code": rules.dac_codes.get(category, 998),
            "measure": measure,
            "period_start": period.start,
            "period_end": period.end,
            "period_type": period.type,
            "region": region.value,
            "donor": donor.value,
            "program": program.value,
            "include_in_totals": reason is None,
            "exclude_reason": reason,
            "note": evidence + ("" if not known else "; indicator from the vocabulary"),
            "confidence": round(confidence, 3),
            "subject_zh": subject.text or None,
        }


def _at_most(part: Any, total: Any) -> bool:
    """A part is no larger than its total (both known)."""
    try:
        return float(part) <= float(total)
    except (TypeError, ValueError):
        return False


def _parents(rows: list[tuple[Any, ...]], texts: list[str], at: dict[str, int]) -> dict[int, str]:
    """Best effort: a part after 其中 takes the nearest earlier figure of its measure in the
    same or previous sentence as its parent. ``rows`` are figures rows (tuples, ``at``
    the position of each field), ``texts`` each row's mention text; returns the
    position of every part that found one and its parent's figure id."""
    sentence_at, measure_at, unit_at = at["sentence"], at["measure"], at["unit"]
    value_at, parent_at = at["value"], at["parent_figure"]
    found: dict[int, str] = {}
    for i, row in enumerate(rows):
        sentence = str(row[sentence_at])
        if not PART_CUE.search(sentence) or row[measure_at] in NON_ADDITIVE:
            continue
        cut = sentence.find("其中")
        for j in range(i - 1, max(-1, i - 6), -1):
            prev = rows[j]
            same = str(prev[sentence_at]) == sentence
            before_cue = not same or sentence.find(str(texts[j])) < cut
            fits = prev[unit_at] == row[unit_at] and _at_most(row[value_at], prev[value_at])
            same = prev[measure_at] == row[measure_at]
            if same and fits and before_cue and found.get(j, prev[parent_at]) is None:
                found[i] = prev[at["figure_id"]]
                break
    return found


# the fields the parent linking reads and sets
PARENT_FIELDS = (
    "figure_id", "sentence", "measure", "unit", "value", "parent_figure", "include_in_totals",
    "exclude_reason",
)  # fmt: skip


@dataclass(frozen=True)
class LabelRows:
    """Auto label rows of one article's covered mentions, before parents are linked (what
    a build caches per article): one tuple per row in the ``figures`` column order (a
    tenth of the memory of dicts), and each row's mention text."""

    values: list[tuple[Any, ...]]
    texts: list[str]

    @classmethod
    def of(cls, rows: list[dict[str, Any]], texts: list[str]) -> LabelRows:
        names = columns("figures")
        return cls([tuple(row[n] for n in names) for row in rows], texts)

    def kept(self, only: set[str] | None = None) -> list[tuple[Any, ...]]:
        """The rows of the mentions ``only`` names (all when None), parents linked."""
        names = columns("figures")
        at = {n: names.index(n) for n in (*PARENT_FIELDS, "mention_id")}
        mention = at["mention_id"]
        keep = [i for i, row in enumerate(self.values) if only is None or row[mention] in only]
        rows = [self.values[i] for i in keep]
        for k, parent in _parents(rows, [self.texts[i] for i in keep], at).items():
            row = list(rows[k])
            row[at["parent_figure"]] = parent
            row[at["include_in_totals"]] = False
            row[at["exclude_reason"]] = f"part of {parent}"
            rows[k] = tuple(row)
        return rows

    def figures(self, only: set[str] | None = None) -> pd.DataFrame:
        """:meth:`kept` as a figures frame."""
        return pd.DataFrame.from_records(self.kept(only), columns=columns("figures"))


def label_rows(
    know: Knowledge, article: Article, clean: CleanArticle, mentions: pd.DataFrame
) -> LabelRows:
    """Auto labels for every amount/percent/ratio/range/duration mention of one article."""
    labeller = ArticleLabeller(know, article, clean)
    every = mentions[mentions["article_id"] == article.id]
    labeller.spans = list(zip(every["clean_start"], every["clean_end"], strict=True))
    mine = every[every["kind"].isin(COVERED_KINDS)]
    rows = []
    for _, m in mine.iterrows():
        number = str(m["mention_id"]).rsplit("#", 1)[-1]
        row = {
            "figure_id": f"{article.id}-auto-{number}",
            "article_id": article.id,
            **{k: m[k] for k in ("value", "lower", "upper", "unit", "qualifier", "kind")},
            "raw_start": int(m["raw_start"]),
            "raw_end": int(m["raw_end"]),
            "quote": article.text[int(m["raw_start"]) : int(m["raw_end"])],
            "sentence": m["sentence"],
            "mention_id": m["mention_id"],
            "parent_figure": None,
            "corrected": None,
            "status": "auto",
            **labeller.label(m),
        }
        rows.append(row)
    return LabelRows.of(rows, [str(t) for t in mine["text"]])


def label_mentions(
    know: Knowledge,
    article: Article,
    clean: CleanArticle,
    mentions: pd.DataFrame,
    *,
    only: set[str] | None = None,
) -> pd.DataFrame:
    """Auto labels for the amount/percent/ratio/range/duration mentions of one article
    (``only``: just these mention ids; the others still mask their numbers)."""
    return label_rows(know, article, clean, mentions).figures(only)


def auto_figures(
    know: Knowledge,
    articles: list[Article],
    cleaned: list[CleanArticle],
    mentions: pd.DataFrame,
    *,
    only: set[str],
) -> pd.DataFrame:
    """Auto figures for the mentions ``only`` names (the build passes the unaccounted ones)."""
    frames = [
        label_mentions(know, a, c, mentions, only=only)
        for a, c in zip(articles, cleaned, strict=True)
    ]
    frames = [f for f in frames if not f.empty]
    if not frames:
        return pd.DataFrame(columns=columns("figures"))
    return pd.concat(frames, ignore_index=True)


def figures_from_rows(labels: list[LabelRows], *, only: set[str]) -> pd.DataFrame:
    """What :func:`auto_figures` gives, from each article's label rows computed earlier
    (a build's cache): the auto figures of the mentions ``only`` names."""
    rows = [row for article in labels for row in article.kept(only)]
    return pd.DataFrame.from_records(rows, columns=columns("figures"))
