"""aidstats: figures from Chinese paired-aid news reports as tidy, traceable tables."""

# ruff: noqa: E402 (the compiled extractor is activated before anything imports it)

from aidstats import speedups as _speedups

# Load the compiled extractor if it was built and is fresh (before anything imports it).
_speedups.activate(__path__)

from aidstats._version import __version__
from aidstats.api import (
    beneficiaries,
    consistency_checks,
    load_articles,
    load_figures,
    load_mentions,
    load_table,
    sales_growth,
    spending_shares,
)
from aidstats.errors import AidstatsError
from aidstats.extract import Quantity, extract_quantities

__all__ = [
    "AidstatsError",
    "Quantity",
    "__version__",
    "beneficiaries",
    "consistency_checks",
    "extract_quantities",
    "load_articles",
    "load_figures",
    "load_mentions",
    "load_table",
    "sales_growth",
    "spending_shares",
]
