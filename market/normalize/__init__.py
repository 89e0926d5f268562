"""Normalization: what sources write → one offer shape.

``offers`` turns raw offers into normalized ones; ``gpu_names`` parses GPU names into
canonical ones (``instance_families`` holds what cloud instance-type names document about
their GPUs); ``geo`` places regions in countries and continents.
"""
