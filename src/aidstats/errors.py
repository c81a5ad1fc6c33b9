"""The one exception type aidstats raises for bad input.

Its message is a single line that names the file (and row) at fault and says what to do;
the command line prints it without a traceback.
"""

from __future__ import annotations


class AidstatsError(Exception):
    """Bad input or a failed check, with a one-line message meant for the user."""
