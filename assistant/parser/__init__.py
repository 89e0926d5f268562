"""The request parser: plain language → workload, filters, ``q=`` query (pure functions)."""

from assistant.parser.parse import MAX_REQUEST_CHARS, request_parse
from assistant.parser.result import FILTER_FIELDS, WORKLOAD_FIELDS, ParsedRequest, filters_query

__all__ = ["FILTER_FIELDS", "MAX_REQUEST_CHARS", "WORKLOAD_FIELDS", "ParsedRequest",
           "filters_query", "request_parse"]
