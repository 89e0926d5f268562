"""The assistant: plain-language requests parsed into editable queries, and chat answers
grounded in the market's offers and the estimator (optionally through an upstream LLM)."""
