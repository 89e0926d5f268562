"""The estimator against published measurements.

Each row is one published number: its source (URL and title), what was measured
(hardware, model, precision, batch, lengths) and the value. The estimator runs the same
workload with its one set of factors (mathcore.estimator.efficiency: never tuned per
row) and the tests bound the median absolute relative error per scenario. Rows marked
`calibration=True` come from the measurements a factor was taken from; the held-out
medians leave them out. Run with `-s` (or see docs/ESTIMATOR.md) for the full table.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass, replace

import pytest

from mathcore.errors import MathInputError
from mathcore.estimator import Workload, estimate

GPT_FAST = ("https://github.com/pytorch-labs/gpt-fast (gpt-fast README, Benchmarks: "
            "8xA100-80GB SXM power-limited to 330 W, batch 1, 5-token prompt, torch.compile)")
LLAMA_CPP = ("https://github.com/XiongjieDai/GPU-Benchmarks-on-LLM-Inference (llama.cpp "
             "eval speed, batch 1, text generation, RunPod GPUs)")
TRTLLM_06 = ("https://github.com/NVIDIA/TensorRT-LLM/blob/release/0.6.1/docs/source/"
             "performance.md (Performance of TensorRT-LLM v0.6.1, static batching, "
             "out tok/s/GPU; L40S rows from v0.5)")
NIM = ("https://docs.nvidia.com/nim/benchmarking/llm/1.0.0/performance (NVIDIA NIM LLM "
       "benchmarking, Performance, Llama-3.3-70b-instruct 1.8.0, 2 x H100 80G fp8 TP2)")
FOUNDRY = ("https://github.com/mosaicml/llm-foundry/blob/main/scripts/train/benchmarking/"
           "README.md (MPT Training Benchmarks, Throughput (T/s/GPU), BF16, FSDP)")
NEMO = ("https://github.com/NVIDIA/NeMo/blob/main/docs/source/performance/"
        "performance_summary.md (NeMo 24.07 Performance Benchmarks, DGX-H100, FP8)")
LLAMA3 = ("https://arxiv.org/abs/2407.21783 (Dubey et al. 2024, The Llama 3 Herd of Models, "
          "Table 4: BF16 TFLOPs/GPU of Llama 3 405B pre-training on H100)")


@dataclass(frozen=True)
class Row:
    scenario: str
    what: str
    workload: Workload
    metric: str
    measured: float
    source: str
    per_gpu: bool = False
    calibration: bool = False


def _decode(what: str, gpu: str, model: str, precision: str, tok_s: float, source: str,
            gpus: int = 1, prompt: int = 5, generated: int = 200, calibration: bool = False,
            scenario: str = "batch-1 decode") -> Row:
    work = Workload(task="inference", gpu=gpu, model=model, precision=precision,
                    gpu_count=gpus, input_tokens=prompt, output_tokens=generated)
    return Row(scenario if gpus == 1 else "multi-GPU decode", what, work,
               "decode_tokens_per_s", tok_s, source, calibration=calibration)


def _serve(what: str, gpu: str, model: str, precision: str, batch: int, isl: int, osl: int,
           tok_s_gpu: float, gpus: int = 1) -> Row:
    work = Workload(task="inference", gpu=gpu, model=model, precision=precision,
                    gpu_count=gpus, batch=batch, input_tokens=isl, output_tokens=osl)
    return Row("high-batch serving", what, work, "throughput_tokens_per_s", tok_s_gpu,
               TRTLLM_06, per_gpu=True)


def _prefill(what: str, gpu: str, model: str, precision: str, ms: float, gpus: int = 1) -> Row:
    work = Workload(task="inference", gpu=gpu, model=model, precision=precision,
                    gpu_count=gpus, input_tokens=2048, output_tokens=1)
    return Row("long-prompt prefill", what, work, "prefill_tokens_per_s", 2048 / (ms / 1e3),
               TRTLLM_06)


def _train(scenario: str, what: str, gpu: str, size: float | str, seq: int, gpus: int,
           tok_s_gpu: float, source: str, precision: str = "bf16", method: str = "full",
           task: str = "training", calibration: bool = False) -> Row:
    model = size if isinstance(size, str) else None
    params_b = size if isinstance(size, float) else None
    work = Workload(task=task, gpu=gpu, model=model, params_b=params_b, precision=precision,
                    method=method, gpu_count=gpus, input_tokens=seq, output_tokens=0)
    return Row(scenario, what, work, "train_tokens_per_s", tok_s_gpu, source, per_gpu=True,
               calibration=calibration)


def _meta(what: str, tflops: float, seq: int, gpus: int) -> Row:
    row = _train("dense training", what, "H100-SXM", "Llama-3.1-405B", seq, gpus, 0.0, LLAMA3,
                 calibration=True)
    model = estimate(row.workload)
    flops_per_token = model.hardware.peak_tflops * 1e12 * model.efficiency["mfu"] / (
        model.tokens_per_s / gpus)
    return replace(row, measured=tflops * 1e12 / flops_per_token)


# The llama.cpp rows DECODE_BANDWIDTH_FRACTION's docstring cites (0.75-0.87 of datasheet).
_CITED_FOR_BANDWIDTH = ("RTX4090", "RTX3090", "RTX4080", "RTXA6000", "RTX6000Ada", "L40S")

ROWS: tuple[Row, ...] = (
    # Batch-1 decode. gpt-fast's A100s run power-limited (330 W of 400 W).
    _decode("A100 SXM 80GB, Llama-2-7B bf16", "A100-80GB-SXM", "Llama-2-7B", "bf16",
            104.9, GPT_FAST, calibration=True),
    _decode("A100 SXM 80GB, Llama-2-7B int8 weight-only", "A100-80GB-SXM", "Llama-2-7B",
            "int8", 155.58, GPT_FAST, calibration=True),
    _decode("A100 SXM 80GB, Llama-2-70B int8 weight-only", "A100-80GB-SXM", "Llama-2-70B",
            "int8", 19.13, GPT_FAST, calibration=True),
    *(_decode(f"{label}, Llama-3-8B F16, tg 1024", gpu, "Llama-3-8B", "fp16", tok_s,
              LLAMA_CPP, prompt=1, generated=1024, calibration=gpu in _CITED_FOR_BANDWIDTH)
      for label, gpu, tok_s in (
          ("RTX 4090 24GB", "RTX4090", 54.34), ("RTX 3090 24GB", "RTX3090", 46.51),
          ("RTX 4080 16GB", "RTX4080", 40.29), ("RTX 4000 Ada 20GB", "RTX4000Ada", 20.85),
          ("RTX A6000 48GB", "RTXA6000", 40.25), ("RTX 6000 Ada 48GB", "RTX6000Ada", 51.97),
          ("A40 48GB", "A40", 33.95), ("L40S 48GB", "L40S", 43.42),
          ("A100 PCIe 80GB", "A100-80GB-PCIe", 54.56))),
    *(_decode(f"{label}, Llama-2-7B f16", gpu, "Llama-2-7B", "fp16", tok_s, LLAMA_CPP,
              prompt=1, generated=128)
      for label, gpu, tok_s in (
          ("RTX 4090 24GB", "RTX4090", 60.78), ("RTX 3090 24GB", "RTX3090", 51.85),
          ("A100 80GB (form factor not stated)", "A100-80GB", 73.83),
          ("H100 PCIe 80GB", "H100-PCIe", 83.32))),
    # Tensor-parallel decode at batch 1.
    *(_decode(f"{n} x A100 SXM 80GB, {m} bf16 TP{n}", "A100-80GB-SXM", m, "bf16", tok_s,
              GPT_FAST, gpus=n, calibration=True)
      for m, n, tok_s in (("Llama-2-7B", 2, 168.84), ("Llama-2-7B", 4, 254.02),
                          ("Llama-2-7B", 8, 328.43), ("Llama-2-70B", 2, 21.32),
                          ("Llama-2-70B", 4, 38.01), ("Llama-2-70B", 8, 62.50))),
    _decode("2 x H100 80G, Llama-3.3-70B (Llama 3.1 70B shape) fp8 TP2, 5000 in / 500 out, "
            "ITL 18.58 ms", "H100-SXM", "Llama-3.1-70B", "fp8", 1e3 / 18.58, NIM, gpus=2,
            prompt=5000, generated=500),
    _decode("2 x H100 80G, Llama-3.3-70B fp8 TP2, 500 in / 2000 out, ITL 18.91 ms",
            "H100-SXM", "Llama-3.1-70B", "fp8", 1e3 / 18.91, NIM, gpus=2, prompt=500,
            generated=2000),
    # Static-batch serving throughput (TensorRT-LLM gptSessionBenchmark).
    _serve("H100 FP8, Llama-2-7B, batch 768, 128/128", "H100-SXM", "Llama-2-7B", "fp8",
           768, 128, 128, 19694),
    _serve("H100 FP8, Llama-2-7B, batch 112, 128/2048", "H100-SXM", "Llama-2-7B", "fp8",
           112, 128, 2048, 6818),
    _serve("H100 FP8, Llama-2-7B, batch 80, 2048/128", "H100-SXM", "Llama-2-7B", "fp8",
           80, 2048, 128, 2244),
    _serve("H100 FP8, Llama-2-7B, batch 48, 2048/2048", "H100-SXM", "Llama-2-7B", "fp8",
           48, 2048, 2048, 2740),
    _serve("2 x H100 FP8, Llama-2-70B TP2, batch 1024, 128/128", "H100-SXM", "Llama-2-70B",
           "fp8", 1024, 128, 128, 2657, gpus=2),
    _serve("2 x H100 FP8, Llama-2-70B TP2, batch 64, 2048/2048", "H100-SXM", "Llama-2-70B",
           "fp8", 64, 2048, 2048, 547, gpus=2),
    _serve("A100 FP16, Llama-2-7B, batch 384, 128/128", "A100-80GB-SXM", "Llama-2-7B",
           "fp16", 384, 128, 128, 5586),
    _serve("A100 FP16, Llama-2-7B, batch 60, 128/2048", "A100-80GB-SXM", "Llama-2-7B",
           "fp16", 60, 128, 2048, 1928),
    _serve("A100 FP16, Llama-2-7B, batch 52, 2048/128", "A100-80GB-SXM", "Llama-2-7B",
           "fp16", 52, 2048, 128, 591),
    _serve("L40S FP8, Llama-2-7B, batch 64, 128/128", "L40S", "Llama-2-7B", "fp8",
           64, 128, 128, 3240),
    _serve("L40S FP8, Llama-2-7B, batch 64, 128/2048", "L40S", "Llama-2-7B", "fp8",
           64, 128, 2048, 1622),
    _serve("L40S FP8, Llama-2-7B, batch 32, 2048/128", "L40S", "Llama-2-7B", "fp8",
           32, 2048, 128, 581),
    # Time to first token, batch 1, 2048-token prompt (v0.5 tables).
    _prefill("H100 FP8, Llama-2-7B, 36 ms", "H100-SXM", "Llama-2-7B", "fp8", 36),
    _prefill("4 x H100 FP8, Llama-2-70B TP4, 109 ms", "H100-SXM", "Llama-2-70B", "fp8", 109,
             gpus=4),
    _prefill("L40S FP8, Llama-2-7B, 73 ms", "L40S", "Llama-2-7B", "fp8", 73),
    _prefill("A100 FP16, Llama-2-7B, 133 ms", "A100-80GB-SXM", "Llama-2-7B", "fp16", 133),
    _prefill("4 x A100 FP16, Llama-2-70B TP4, 377 ms", "A100-80GB-SXM", "Llama-2-70B", "fp16",
             377, gpus=4),
    # Dense BF16 training (MPT models; NumParams from the table; A100s are SXM4).
    *(_train("dense training", f"{n} x {label}, MPT-{size_name}, seq 2048", gpu, params, 2048,
             n, tok_s, FOUNDRY, calibration=gpu == "A100-80GB-SXM")
      for label, gpu, rows in (
          ("H100 80GB", "H100-SXM", (("70b", 64.862, 32, 882), ("30b", 29.975, 8, 2002),
                                     ("13b", 12.854, 8, 4792), ("7b", 6.659, 8, 10643),
                                     ("3b", 2.652, 16, 24142))),
          ("A100 80GB", "A100-80GB-SXM", (("70b", 64.862, 32, 373), ("30b", 29.975, 8, 916),
                                          ("13b", 12.854, 8, 2262), ("7b", 6.659, 8, 4641),
                                          ("3b", 2.652, 8, 10811))),
          ("A100 40GB", "A100-40GB-SXM", (("70b", 64.862, 64, 276), ("30b", 29.975, 32, 857),
                                          ("13b", 12.854, 8, 1668), ("7b", 6.659, 8, 3679),
                                          ("3b", 2.652, 8, 10065))))
      for size_name, params, n, tok_s in rows),
    _meta("8192 x H100, Llama 3 405B, seq 8192, 430 TFLOPs/GPU", 430, 8192, 8192),
    _meta("16384 x H100, Llama 3 405B, seq 8192, 400 TFLOPs/GPU", 400, 8192, 16384),
    _meta("16384 x H100, Llama 3 405B, seq 131072, 380 TFLOPs/GPU", 380, 131072, 16384),
    # FP8 training and fine-tuning on DGX-H100 (NeMo 24.07); SFT = full fine-tune.
    *(_train("fp8 training", f"{n} x H100 FP8, {m} {job}, seq {seq}", "H100-SXM", m, seq, n,
             tok_s, NEMO, precision="fp8", method=method,
             task="training" if job == "pre-train" else "fine-tune")
      for m, job, method, seq, n, tok_s in (
          ("Llama-2-7B", "pre-train", "full", 4096, 8, 16847),
          ("Llama-2-13B", "pre-train", "full", 4096, 16, 8646),
          ("Llama-2-70B", "pre-train", "full", 4096, 64, 1707),
          ("Llama-3-8B", "pre-train", "full", 8192, 8, 12036),
          ("Llama-3-70B", "pre-train", "full", 8192, 64, 1533),
          ("Llama-2-7B", "SFT", "full", 4096, 8, 17120),
          ("Llama-2-13B", "SFT", "full", 4096, 8, 9741),
          ("Llama-2-70B", "SFT", "full", 4096, 16, 1833),
          ("Llama-2-7B", "LoRA", "lora", 4096, 8, 25206),
          ("Llama-2-13B", "LoRA", "lora", 4096, 8, 14161),
          ("Llama-2-70B", "LoRA", "lora", 4096, 8, 2557))),
)

# Medians of |estimate - measured| / measured the estimator reaches (docs/ESTIMATOR.md);
# a change that makes one worse must say why there.
BOUNDS = {
    "batch-1 decode": 0.10,
    "multi-GPU decode": 0.10,
    "high-batch serving": 0.15,
    "long-prompt prefill": 0.20,
    "dense training": 0.10,
    "fp8 training": 0.30,
}
# The same, leaving out the rows a factor was taken from. Batch-1 decode's held-out rows
# include llama.cpp on A100/H100, which reached only 0.42-0.56 of datasheet bandwidth
# (estimate +45 % to +88 %); the median stays under 10 % because the other held-out GPUs
# are matched within 9 %.
HELD_OUT_BOUNDS = {"batch-1 decode": 0.10, "multi-GPU decode": 0.10, "dense training": 0.12}


@dataclass(frozen=True)
class Result:
    row: Row
    estimated: float | None
    skipped: str | None = None

    @property
    def error(self) -> float:
        assert self.estimated is not None
        return (self.estimated - self.row.measured) / self.row.measured


def evaluate(row: Row) -> Result:
    try:
        result = estimate(row.workload)
    except MathInputError as exc:    # GPU without a datasheet figure in mathcore.gpus
        return Result(row, None, skipped=str(exc))
    value = getattr(result, row.metric)
    if row.per_gpu:
        value /= row.workload.gpu_count
    return Result(row, value)


RESULTS = tuple(evaluate(row) for row in ROWS)


def median_error(scenario: str, held_out: bool = False) -> float:
    errors = [abs(r.error) for r in RESULTS if r.row.scenario == scenario and not r.skipped
              and not (held_out and r.row.calibration)]
    return statistics.median(errors) if errors else float("nan")


def error_table() -> str:
    lines = [f"{'scenario':20} {'measured':>9} {'estimate':>9} {'error':>7}  what"]
    for r in RESULTS:
        if r.skipped:
            lines.append(f"{r.row.scenario:20} {r.row.measured:9.1f} {'-':>9} {'-':>7}  "
                         f"{r.row.what} [skipped: {r.skipped}]")
            continue
        mark = " (calibration)" if r.row.calibration else ""
        lines.append(f"{r.row.scenario:20} {r.row.measured:9.1f} {r.estimated:9.1f} "
                     f"{r.error:+7.1%}  {r.row.what}{mark}")
    lines.append("")
    for scenario in BOUNDS:
        n = sum(1 for r in RESULTS if r.row.scenario == scenario and not r.skipped)
        lines.append(f"{scenario:20} n={n:2d}  median |error| {median_error(scenario):6.1%}"
                     f"  held-out {median_error(scenario, held_out=True):6.1%}")
    return "\n".join(lines)


def test_every_row_cites_a_source_and_states_what_was_measured() -> None:
    for row in ROWS:
        assert row.source.startswith("https://") and "(" in row.source
        assert row.what and row.measured > 0


@pytest.mark.parametrize("scenario", sorted(BOUNDS))
def test_median_error_per_scenario_within_bound(scenario: str) -> None:
    assert median_error(scenario) <= BOUNDS[scenario], error_table()


@pytest.mark.parametrize("scenario", sorted(HELD_OUT_BOUNDS))
def test_held_out_median_error_within_bound(scenario: str) -> None:
    assert median_error(scenario, held_out=True) <= HELD_OUT_BOUNDS[scenario], error_table()


def test_most_rows_are_estimated() -> None:
    skipped = [r for r in RESULTS if r.skipped]
    assert len(skipped) <= len(RESULTS) // 3, error_table()


def test_print_error_table(capsys: pytest.CaptureFixture[str]) -> None:
    with capsys.disabled():
        print("\n" + error_table())
