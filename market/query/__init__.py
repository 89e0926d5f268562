"""Offer queries: conditions from parameters or the ``q=`` language, run on an in-memory index.

``offers_search`` is the one entry point; see ``search.py``.
"""

from market.query.conditions import Condition
from market.query.search import OfferPage, offers_search

__all__ = ["Condition", "OfferPage", "offers_search"]
