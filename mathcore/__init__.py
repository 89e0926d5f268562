"""Pure math core: ranking (TOPSIS, ensembles), KPI formulas, GPU facts, workload estimator.

Standard library and numpy only; never imports Django.
"""
