"""`gpubroker bench-gpu`: measure this machine's accelerator beside its datasheet.

Measures (PyTorch, optional dependency `gpubroker[torch]`):
  matmul     dense square matmul at the chosen dtype, TFLOPS (2 n^3 FLOPs per product);
  bandwidth  device-to-device copy, GB/s (each copy reads and writes its bytes);
  prefill    one forward pass over a prompt of a transformer with random weights;
  decode     one token per step against a filled KV cache, same transformer, batch 1.
The transformer is Llama-shaped (RMSNorm, grouped-query attention, SwiGLU MLP); `--size
large` is Llama-3-8B's published shape (mathcore.llm_models), the smaller sizes are
scaled down for quick runs and for CPUs. Each measured figure is printed beside the GPU's
datasheet figure (mathcore.gpus) and their ratio; decode also shows the bandwidth it
implies, the figure the estimator's DECODE_BANDWIDTH_FRACTION stands for.

`--csv` prints the decode and prefill figures as rows of the estimator's calibration
table (mathcore.estimator.calibration columns, set `device`), so a run on a real GPU can
be appended to mathcore/estimator/measurements.csv and scored like a published one.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from mathcore.errors import MathInputError

INSTALL_HINT = ("bench-gpu needs PyTorch, which is not installed. Install it with\n"
                "    pip install 'gpubroker[torch]'\n"
                "(or `pip install torch`; pick the CUDA build from https://pytorch.org/get-started/"
                "locally/ for an NVIDIA GPU) and run `gpubroker bench-gpu` again.")


@dataclass(frozen=True)
class Size:
    matmul_n: int
    copy_mb: int
    layers: int
    hidden: int
    heads: int
    kv_heads: int
    intermediate: int
    prompt: int
    context: int
    steps: int
    vocab: int
    model: str | None = None   # the published model this shape is (mathcore.llm_models)


SIZES = {
    "small": Size(256, 16, 2, 256, 4, 2, 688, 64, 128, 8, 512),
    "medium": Size(4096, 512, 8, 2048, 16, 4, 5632, 1024, 2048, 32, 32000),
    # Llama-3-8B: 32 layers, hidden 4096, 32 heads, 8 KV heads, MLP 14336, vocab 128256.
    "large": Size(8192, 2048, 32, 4096, 32, 8, 14336, 2048, 4096, 64, 128256, "Llama-3-8B"),
}


def main(argv: list[str]) -> int:
    args = _parser().parse_args(argv)
    try:
        import torch
    except ImportError:
        print(INSTALL_HINT)
        return 2
    device = args.device or ("cuda" if torch.cuda.is_available() else "cpu")
    if device == "cuda" and not torch.cuda.is_available():
        print("bench-gpu: --device cuda asked, but PyTorch sees no CUDA GPU "
              f"(torch {torch.__version__}, CUDA build: {torch.version.cuda or 'no'})")
        return 2
    try:
        report = run(torch, device, SIZES[args.size], args.size, args.gpu)
    except MathInputError as exc:
        print(f"bench-gpu: {exc}")
        return 2
    if args.csv:
        from mathcore.estimator.calibration import write

        write(calibration_rows(report), sys.stdout)
    else:
        print(json.dumps(report, indent=2) if args.json else render(report))
    return 0


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="gpubroker bench-gpu", description=(
        "Measure matmul TFLOPS, memory bandwidth and transformer decode/prefill tokens/s "
        "of this machine's GPU (or CPU), beside the datasheet figures."))
    parser.add_argument("--device", choices=("cpu", "cuda"), default=None,
                        help="where to run (default: cuda when available)")
    parser.add_argument("--size", choices=tuple(SIZES), default="medium",
                        help="small: seconds, any CPU; large: Llama-3-8B shape (~17 GB)")
    parser.add_argument("--gpu", default=None, metavar="NAME",
                        help="canonical GPU name for the datasheet (default: detected)")
    parser.add_argument("--json", action="store_true", help="print the report as JSON")
    parser.add_argument("--csv", action="store_true",
                        help="print decode/prefill as estimator calibration rows (CSV)")
    return parser


def run(torch: Any, device: str, size: Size, size_name: str, gpu: str | None) -> dict[str, Any]:
    """Every measurement, with datasheet figures and ratios where a spec is known."""
    dtype = torch.bfloat16 if device == "cuda" else torch.float32
    spec = _datasheet(torch, device, gpu)
    matmul = measure_matmul_tflops(torch, device, dtype, size.matmul_n)
    bandwidth = measure_copy_gbs(torch, device, size.copy_mb)
    model = TinyTransformer(torch, device, dtype, size)
    prefill, decode = model.prefill_tokens_per_s(), model.decode_tokens_per_s()
    peak = _figure(spec, "bf16_tflops" if device == "cuda" else "fp32_tflops")
    datasheet_bw = _figure(spec, "mem_bw_gbs")
    return {
        "device": device, "device_name": _device_name(torch, device),
        "gpu": spec.name if spec else None, "size": size_name, "dtype": str(dtype),
        "matmul": _row(matmul, peak, n=size.matmul_n),
        "bandwidth": _row(bandwidth, datasheet_bw, copy_mb=size.copy_mb),
        "prefill": {"tokens_per_s": prefill, "prompt_tokens": size.prompt,
                    **_row(prefill * model.flops_per_token(size.prompt) / 1e12, peak,
                           key="implied_tflops")},
        "decode": {"tokens_per_s": decode, "context_tokens": size.context,
                   **_row(decode * model.bytes_per_decode_step() / 1e9, datasheet_bw,
                          key="implied_gbs")},
        "model_shape": size.__dict__, "params": model.params(),
        "torch": str(torch.__version__),
        "measured_at": time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime()),
    }


def measure_matmul_tflops(torch: Any, device: str, dtype: Any, n: int, repeat: int = 10) -> float:
    a = torch.randn(n, n, device=device, dtype=dtype)
    b = torch.randn(n, n, device=device, dtype=dtype)
    seconds = _timed(torch, device, lambda: torch.matmul(a, b), repeat)
    return 2.0 * n ** 3 / seconds / 1e12


def measure_copy_gbs(torch: Any, device: str, megabytes: int, repeat: int = 10) -> float:
    nbytes = megabytes * 1024 * 1024
    src = torch.empty(nbytes, dtype=torch.uint8, device=device).fill_(1)
    dst = torch.empty_like(src)
    seconds = _timed(torch, device, lambda: dst.copy_(src), repeat)
    return 2.0 * nbytes / seconds / 1e9


class TinyTransformer:
    """A Llama-shaped decoder with random weights, enough to time its matmuls."""

    def __init__(self, torch: Any, device: str, dtype: Any, size: Size) -> None:
        self.torch, self.device, self.dtype, self.size = torch, device, dtype, size
        head_dim = size.hidden // size.heads
        self.head_dim = head_dim
        q, kv = size.heads * head_dim, size.kv_heads * head_dim
        self.layers = [self._layer(q, kv) for _ in range(size.layers)]
        self.head = self._rand(size.hidden, size.vocab)   # output projection (logits)
        shape = (1, size.kv_heads, size.context, head_dim)
        self.cache = [(self._rand(*shape), self._rand(*shape)) for _ in range(size.layers)]

    def _rand(self, *shape: int) -> Any:
        return self.torch.randn(*shape, device=self.device, dtype=self.dtype) * 0.02

    def _layer(self, q: int, kv: int) -> dict[str, Any]:
        h, i = self.size.hidden, self.size.intermediate
        return {"qkv": self._rand(h, q + 2 * kv), "o": self._rand(q, h),
                "up": self._rand(h, 2 * i), "down": self._rand(i, h)}

    def params(self) -> int:
        """Weights read per decode step (layers and output head; the input embedding
        is a lookup, so it is left out here as in the estimator)."""
        layers = sum(t.numel() for layer in self.layers for t in layer.values())
        return int(layers + self.head.numel())

    def bytes_per_decode_step(self) -> float:
        element = self.torch.tensor([], dtype=self.dtype).element_size()
        cache = sum(k.numel() + v.numel() for k, v in self.cache)
        return float((self.params() + cache) * element)

    def flops_per_token(self, context: int) -> float:
        attention = 2 * self.size.layers * self.size.heads * self.head_dim * context
        return float(2 * self.params() + attention)

    def prefill_tokens_per_s(self) -> float:
        x = self._rand(1, self.size.prompt, self.size.hidden)
        seconds = _timed(self.torch, self.device, lambda: self._forward(x, None), 3)
        return self.size.prompt / seconds

    def decode_tokens_per_s(self) -> float:
        x = self._rand(1, 1, self.size.hidden)
        steps = self.size.steps
        seconds = _timed(self.torch, self.device, lambda: self._forward(x, self.cache), steps)
        return 1.0 / seconds

    def _forward(self, x: Any, cache: list[tuple[Any, Any]] | None) -> Any:
        with self.torch.no_grad():
            for index, layer in enumerate(self.layers):
                x = x + self._attention(self._norm(x), layer, None if cache is None
                                        else cache[index])
                x = x + self._mlp(self._norm(x), layer)
            return self._norm(x[:, -1:]) @ self.head   # logits of the last position

    def _norm(self, x: Any) -> Any:
        return x * self.torch.rsqrt(x.pow(2).mean(-1, keepdim=True) + 1e-5)

    def _attention(self, x: Any, layer: dict[str, Any], cached: tuple[Any, Any] | None) -> Any:
        size, d = self.size, self.head_dim
        tokens = x.shape[1]
        q, k, v = (x @ layer["qkv"]).split(
            [size.heads * d, size.kv_heads * d, size.kv_heads * d], dim=-1)
        q = q.view(1, tokens, size.heads, d).transpose(1, 2)
        k = k.view(1, tokens, size.kv_heads, d).transpose(1, 2)
        v = v.view(1, tokens, size.kv_heads, d).transpose(1, 2)
        if cached is not None:
            k, v = cached   # decode attends over the filled cache
        repeat = size.heads // size.kv_heads
        k, v = k.repeat_interleave(repeat, dim=1), v.repeat_interleave(repeat, dim=1)
        out = self.torch.nn.functional.scaled_dot_product_attention(
            q, k, v, is_causal=cached is None)
        return out.transpose(1, 2).reshape(1, tokens, size.heads * d) @ layer["o"]

    def _mlp(self, x: Any, layer: dict[str, Any]) -> Any:
        gate, up = (x @ layer["up"]).chunk(2, dim=-1)
        return (self.torch.nn.functional.silu(gate) * up) @ layer["down"]


def _timed(torch: Any, device: str, work: Callable[[], Any], repeat: int) -> float:
    """Seconds per call of `work`, after one warm-up call."""
    work()
    _sync(torch, device)
    start = time.perf_counter()
    for _ in range(repeat):
        work()
    _sync(torch, device)
    return (time.perf_counter() - start) / repeat


def _sync(torch: Any, device: str) -> None:
    if device == "cuda":
        torch.cuda.synchronize()


def _device_name(torch: Any, device: str) -> str:
    if device == "cuda":
        return str(torch.cuda.get_device_name(0))
    import platform

    return platform.processor() or platform.machine() or "cpu"


def _datasheet(torch: Any, device: str, gpu: str | None) -> Any:
    """The GpuSpec to compare with: --gpu, or the detected CUDA device; None on CPU."""
    from mathcore.gpus import gpu_spec

    if gpu:
        return gpu_spec(gpu)
    if device != "cuda":
        return None
    from market.normalize.gpu_names import gpu_identify

    memory_gb = torch.cuda.get_device_properties(0).total_memory / 1e9
    identity = gpu_identify(torch.cuda.get_device_name(0), memory_gb=memory_gb)
    return gpu_spec(identity.name) if identity else None


def _figure(spec: Any, name: str) -> float | None:
    value = getattr(spec, name, None) if spec is not None else None
    return float(value) if value is not None else None


def _row(measured: float, datasheet: float | None, key: str = "measured",
         **extra: Any) -> dict[str, Any]:
    ratio = measured / datasheet if datasheet else None
    return {key: measured, "datasheet": datasheet, "ratio": ratio, **extra}


def render(report: dict[str, Any]) -> str:
    """The report as an aligned plain-text table."""
    gpu = report["gpu"] or "no datasheet entry"
    lines = [f"bench-gpu  device={report['device']} ({report['device_name']})  "
             f"datasheet: {gpu}  size={report['size']}  dtype={report['dtype']}", "",
             f"{'measure':34} {'measured':>12} {'datasheet':>11} {'ratio':>7}"]
    rows = (("dense matmul, TFLOPS", report["matmul"], "measured"),
            ("device copy bandwidth, GB/s", report["bandwidth"], "measured"),
            ("prefill: implied TFLOPS", report["prefill"], "implied_tflops"),
            ("decode: implied bandwidth, GB/s", report["decode"], "implied_gbs"))
    for label, row, key in rows:
        lines.append(f"{label:34} {row[key]:12.1f} {_num(row['datasheet']):>11} "
                     f"{_num(row['ratio'], '.2f'):>7}")
    lines += ["", f"prefill {report['prefill']['tokens_per_s']:.0f} tokens/s "
                  f"({report['prefill']['prompt_tokens']}-token prompt); decode "
                  f"{report['decode']['tokens_per_s']:.1f} tokens/s at batch 1 "
                  f"({report['decode']['context_tokens']}-token KV cache)"]
    return "\n".join(lines)


def calibration_rows(report: dict[str, Any]) -> list[Any]:
    """The report's decode and prefill figures as calibration rows (set "device")."""
    from mathcore.estimator.calibration import Measurement

    shape = report["model_shape"]
    model = shape.get("model") or f"{report['params'] / 1e9:.6g}"
    precision = "bf16" if report["dtype"] == "torch.bfloat16" else "fp32"
    where = report["gpu"] or report["device_name"]
    source = (f"gpubroker bench-gpu --size {report['size']} on {report['device_name']} "
              f"({report['device']}), torch {report['torch']}, {report['measured_at']}")
    shape_note = "" if shape.get("model") else (
        f" (random weights, {shape['layers']} layers x {shape['hidden']} wide; "
        "estimated with the nearest published shape)")
    common = {"set": "device", "task": "inference", "gpu": where, "gpu_count": 1,
              "model": model, "precision": precision, "method": "full", "mode": "latency",
              "parallelism": "", "batch": 1, "max_batch": 256, "per_gpu": False,
              "source": source, "runtime": "pytorch-eager"}
    scenario = "batch-1 decode, 16-bit, one GPU" if precision == "bf16" else \
        "batch-1 decode, fp32 (bench-gpu on a CPU)"
    decode = Measurement(
        scenario=scenario, metric="decode_tokens_per_s",
        what=f"bench-gpu decode, batch 1, {shape['context']}-token KV cache{shape_note}",
        input_tokens=shape["context"], output_tokens=1,
        measured=report["decode"]["tokens_per_s"], **common)
    prefill = Measurement(
        scenario="long-prompt prefill", metric="prefill_tokens_per_s",
        what=f"bench-gpu prefill, one {shape['prompt']}-token prompt{shape_note}",
        input_tokens=shape["prompt"], output_tokens=1,
        measured=report["prefill"]["tokens_per_s"], **common)
    return [decode, prefill]


def _num(value: float | None, spec: str = ".1f") -> str:
    return "-" if value is None else format(value, spec)
