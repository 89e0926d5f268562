"""Provider adapters: one module per source, each fetching raw offers and never inventing a field.

``catalog`` reads public price catalogs (one provider per cloud folder); live API adapters
register themselves in ``market.adapters.registry.PROVIDERS``.
"""
