"""aidstats: figures from Chinese paired-aid news reports as tidy, traceable tables."""

from aidstats.extract import Quantity, extract_quantities

__version__ = "0.1.0"

__all__ = ["Quantity", "__version__", "extract_quantities"]
