"""Request and response schemas of `/api/v2/ai` (field names are the issue's contract)."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Field, Schema

from common.schemas import StrictIn


class AiParseIn(StrictIn):
    text: str = Field(..., description="the request as the user typed it (≤ 2000 characters)")


class AiWorkloadOut(Schema):
    task: str | None = Field(None, description="inference, training, fine-tune, "
                                               "image-generation or transcription")
    model: str | None
    params_b: float | None = Field(None, description="total parameters, billions (MoE: all "
                                                     "experts)")
    precision: str | None
    method: str | None = Field(None, description="full, lora or qlora")
    tokens: float | None = Field(None, description="tokens to process in all")
    input_tokens: int | None = Field(None, description="prompt tokens per request")
    context_tokens: int | None
    output_tokens: int | None
    concurrency: int | float | None = Field(None, description="users or requests at once")
    requests_per_s: float | None
    quantity: float | None = Field(None, description="images to generate, audio hours to "
                                                     "transcribe or training examples")
    budget_usd: float | None = Field(None, description="total budget, USD")


class AiFiltersOut(Schema):
    gpu: list[str] | None = Field(None, description="canonical GPU names")
    gpu_count: int | None = Field(None, description="minimum GPUs in one offer")
    gpu_memory_gb: float | None = Field(None, description="per GPU, minimum")
    min_total_gpu_memory_gb: float | None
    min_memory_gb: float | None = Field(None, description="host RAM, minimum")
    max_price_per_hour: float | None = Field(None, description="USD per hour, whole offer")
    max_price_per_gpu_hour: float | None
    spot: bool | None
    providers: list[str] | None
    region: list[str] | None
    country: str | None = Field(None, description="ISO codes, comma separated")
    continent: str | None
    sort: str | None


class AiParseOut(Schema):
    workload: AiWorkloadOut
    filters: AiFiltersOut
    query: str = Field(..., description="the filters in the q= language of GET "
                                        "/api/v2/providers/ (edit and rerun it there)")
    unparsed: list[str]
    confidence: float = Field(..., description="share of the request that was read, 0..1")


class AiToolOut(Schema):
    name: str
    description: str
    parameters: dict[str, Any]


class AiChatIn(StrictIn):
    message: str = Field(..., description="what the user asks (≤ 2000 characters)")
    session_id: str | None = Field(None, description="continue a session (signed-in owner "
                                                     "only)")


class AiSessionOut(Schema):
    id: str
    title: str
    created_at: datetime
    updated_at: datetime


class AiMessageOut(Schema):
    role: str
    content: str
    tool_calls: list[dict[str, Any]]
    offer_ids: list[int]
    engine: str
    created_at: datetime


class AiSessionDetailOut(AiSessionOut):
    messages: list[AiMessageOut]


class AiToolCallOut(Schema):
    name: str
    arguments: Any
    result: dict[str, Any]


class AiChatOut(Schema):
    answer: str
    offers: list[dict[str, Any]] = Field(..., description="the offers the answer cites")
    tool_calls: list[AiToolCallOut]
    session_id: str | None = Field(None, description="null for anonymous use (no history)")
    engine: str = Field(..., description="built-in, or the upstream model's name")
