"""Workloads: what an LLM workload needs (estimate, cost per token), GPU datasheet facts,
templates, and the headline feature, recommend: stored offers ranked for a workload
(`/api/v2/math/...`). The arithmetic lives in mathcore; offers come from market."""
