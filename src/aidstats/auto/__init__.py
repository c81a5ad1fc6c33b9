"""Automatic figures: every quantity mention no person has curated gets labelled by rules.

For each mention that no registry row uses and no exclusion explains, the build writes an
*auto* figure: the subject the number counts (:mod:`.subject`), its measure, category and
indicator (:mod:`.label`), its period (:mod:`.period`), donor, region and programme
(:mod:`.place`), with a confidence and the evidence used (:mod:`.figures` puts them
together). The rules are data (``data/raw/labelling.yaml``, ``gazetteer.yaml``,
``glossary.yaml``); nothing is learned or downloaded, and the same input always gives the
same labels.
"""
