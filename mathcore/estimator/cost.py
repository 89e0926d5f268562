"""Cost per million tokens at load: the number GPUBroker sells, for one call.

`usd_per_million_tokens_at_load("H100-SXM", 2.5, model="Llama-3.1-70B", gpu_count=2)` is
the price of an offer divided by the output tokens/s a continuous-batching server
reaches on it (`mode="throughput"` of the estimator, prefill included). The API's
estimate, recommend and cost-per-token answers, and the KPIs, use the same function.
"""

from __future__ import annotations

from mathcore.errors import MathInputError
from mathcore.estimator.estimate import Estimate, estimate
from mathcore.estimator.workload import DEFAULT_MAX_BATCH, Workload


def serving_at_load(gpu: str, price_per_hour: float | None = None, *,
                    model: str | None = None, params_b: float | None = None,
                    gpu_count: int = 1, precision: str = "bf16", input_tokens: int = 512,
                    output_tokens: int = 256, concurrency: int | None = None,
                    max_batch: int = DEFAULT_MAX_BATCH,
                    parallelism: str | None = None) -> Estimate:
    """The throughput-mode estimate of serving `model` on `gpu_count` x `gpu`."""
    return estimate(Workload(
        task="inference", gpu=gpu, model=model, params_b=params_b, precision=precision,
        gpu_count=gpu_count, input_tokens=input_tokens, output_tokens=output_tokens,
        price_per_hour=price_per_hour, mode="throughput", concurrency=concurrency,
        max_batch=max_batch, parallelism=parallelism))


def usd_per_million_tokens_at_load(gpu: str, price_per_hour: float, *,
                                   model: str | None = None, params_b: float | None = None,
                                   gpu_count: int = 1, precision: str = "bf16",
                                   input_tokens: int = 512, output_tokens: int = 256,
                                   concurrency: int | None = None,
                                   max_batch: int = DEFAULT_MAX_BATCH,
                                   parallelism: str | None = None) -> float:
    """USD per million output tokens of `price_per_hour` (all `gpu_count` GPUs together)
    at the throughput a server reaches at load; MathInputError when the model does not
    fit or an input is bad."""
    result = serving_at_load(gpu, price_per_hour, model=model, params_b=params_b,
                             gpu_count=gpu_count, precision=precision,
                             input_tokens=input_tokens, output_tokens=output_tokens,
                             concurrency=concurrency, max_batch=max_batch,
                             parallelism=parallelism)
    if not result.fits:
        raise MathInputError(f"{result.model_name} {precision} does not fit on "
                             f"{gpu_count} x {result.hardware.name} with one sequence of "
                             f"{input_tokens + output_tokens} tokens; min_gpus: "
                             f"{result.min_gpus}")
    assert result.usd_per_million_tokens is not None
    return result.usd_per_million_tokens
