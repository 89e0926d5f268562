"""Provider adapters: one module per source, each fetching raw offers and never inventing a field.

``catalog`` reads public price catalogs (one provider per cloud folder); every other module
is one live provider API (``lambda_api`` is ``lambda-api``), listed once in
``market.adapters.registry.PROVIDERS``.
"""
