"""Stage 6, charts: the analysis tables as interactive Plotly figures.

Pure functions in the plotly.express manner: a tidy table in, a
:class:`plotly.graph_objects.Figure` out, keyword options, nothing written or shown.
Every chart shares one template (Noto Sans CJK SC, the Okabe-Ito colour-blind-safe
palette), marks derived numbers with a hatched fill and "(推算)/(derived)", draws the
bounds that 多/余/超/近 imply, and carries in its hover what a careful reader needs: the
figure as reported, its bounds, period, region and the source sentence with the article.
Text from articles is escaped (:func:`escape_hover`) before it reaches Plotly's
HTML-like labels. :func:`write_charts` is the only function that writes files.

The modules: ``theme`` (palette, template), ``labels`` (bilingual words, text helpers),
``hover`` (hover labels), ``core`` (the one figure core), one module per chart
(``shares``, ``sales``, ``beneficiaries``, ``explorer``), ``corpus`` (the corpus view:
facts by donor, year and sector, sources per fact, conflicts) and ``export`` (HTML, PNG).

>>> fig = spending_shares_chart(aidstats.spending_shares())      # doctest: +SKIP
>>> fig.show()                                                    # doctest: +SKIP
"""

from aidstats.charts.beneficiaries import beneficiaries_chart
from aidstats.charts.corpus import (
    beneficiaries_by_sector_chart,
    conflicts_table,
    corpus_sales_chart,
    funds_projects_chart,
    sources_chart,
)
from aidstats.charts.explorer import figure_explorer
from aidstats.charts.export import browser_path, chart_set, write_charts
from aidstats.charts.labels import bounds_label, escape_hover
from aidstats.charts.sales import sales_growth_chart
from aidstats.charts.shares import spending_shares_chart
from aidstats.charts.theme import FONT_FAMILY, OKABE_ITO, PALETTE, TEMPLATE
from aidstats.formatting import format_value

__all__ = [
    "FONT_FAMILY",
    "OKABE_ITO",
    "PALETTE",
    "TEMPLATE",
    "beneficiaries_by_sector_chart",
    "beneficiaries_chart",
    "bounds_label",
    "browser_path",
    "chart_set",
    "conflicts_table",
    "corpus_sales_chart",
    "escape_hover",
    "figure_explorer",
    "format_value",
    "funds_projects_chart",
    "sales_growth_chart",
    "sources_chart",
    "spending_shares_chart",
    "write_charts",
]
