"""Observatoire de la cohésion sociale: the library behind the dashboard (no Streamlit here
outside `observatory.ui`)."""

import warnings

import pandas as pd

# Text columns as Python objects rather than pandas 3's Arrow-backed strings: a page builds
# hundreds of small frames from Python lists (codes, labels), and building and reading Arrow
# strings took a fifth to a quarter of a page's content time (Portrait, median of 26 new
# views: 167-208 -> 135-156 ms). pandas 3 deprecates the switch (pandas is pinned at 3.1.1):
# revisit when upgrading to pandas 4.
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    pd.set_option("future.infer_string", False)
