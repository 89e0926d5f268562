"""The GpuSpec value object and the way its figures cite their datasheets.

Every figure of a GpuSpec names its source. A source is a string
`"<document title> | <url> | <field>, <field>, ..."`: the document and the figures it
backs. `Doc.cite` builds one; `cited_fields` reads one back. `GpuSpec.__post_init__`
refuses a figure that no source backs, so a guess cannot slip in unnoticed.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

VENDORS = frozenset({"nvidia", "amd", "intel", "google", "aws", "qualcomm", "xilinx"})
KINDS = frozenset({"gpu", "tpu", "asic", "fpga"})
FIGURES = (
    "memory_gb",
    "mem_bw_gbs",
    "bf16_tflops",
    "fp16_tflops",
    "fp8_tflops",
    "fp4_tflops",
    "fp32_tflops",
    "tdp_w",
    "interconnect",
)
_NUMERIC = FIGURES[:-1]


@dataclass(frozen=True)
class Doc:
    """A public document (datasheet, whitepaper, cloud documentation page)."""

    title: str
    url: str

    def __post_init__(self) -> None:
        if " | " in self.title or " | " in self.url or not self.url.startswith("https://"):
            raise ValueError(f"bad document reference {self.title!r} {self.url!r}")

    def cite(self, *figures: str) -> str:
        """A source string saying this document backs `figures` (GpuSpec field names)."""
        unknown = [f for f in figures if f not in FIGURES]
        if unknown or not figures:
            raise ValueError(f"cite needs GpuSpec figure names, got {figures!r}")
        return f"{self.title} | {self.url} | {', '.join(figures)}"


def cited_fields(source: str) -> tuple[str, ...]:
    """The figure names a source string backs (empty for a malformed source)."""
    parts = source.split(" | ")
    if len(parts) != 3 or not parts[1].startswith("https://"):
        return ()
    return tuple(name.strip() for name in parts[2].split(","))


@dataclass(frozen=True)
class GpuSpec:
    """Datasheet facts of one accelerator model, per device; None where not confirmed.

    memory_gb: device memory in marketing GB as the datasheet prints it (80 for H100).
    mem_bw_gbs: peak device-memory bandwidth, GB/s.
    bf16_tflops / fp16_tflops: dense (no sparsity) tensor/matrix-unit throughput, TFLOPS;
        None for chips without tensor/matrix units for that type.
    fp8_tflops: dense FP8 tensor throughput where the chip has FP8.
    fp4_tflops: dense FP4 tensor throughput (NVFP4/MXFP4) where the chip has FP4 units.
    fp32_tflops: plain (non-tensor) FP32 throughput, TFLOPS.
    tdp_w: maximum board/module power, W.
    interconnect: device-to-device link as the datasheet names it.
    sources: `Doc.cite` strings; together they back every figure that is not None.
    variants: for a generic entry (form factor or memory size not known), the names of
        the exact models it may be; its figures are only those all variants share.
    """

    name: str
    vendor: str
    kind: str
    memory_gb: float | None
    mem_bw_gbs: float | None
    bf16_tflops: float | None
    fp16_tflops: float | None
    fp8_tflops: float | None
    fp32_tflops: float | None
    tdp_w: float | None
    interconnect: str | None
    sources: tuple[str, ...]
    variants: tuple[str, ...] = ()
    fp4_tflops: float | None = None

    def __post_init__(self) -> None:
        if self.vendor not in VENDORS:
            raise ValueError(f"{self.name}: unknown vendor {self.vendor!r}")
        if self.kind not in KINDS:
            raise ValueError(f"{self.name}: unknown kind {self.kind!r}")
        for name in _NUMERIC:
            value = getattr(self, name)
            if value is not None and not value > 0:
                raise ValueError(f"{self.name}: {name} must be positive, got {value!r}")
        uncited = [f for f in self.figures_known() if f not in self.cited()]
        if uncited:
            raise ValueError(f"{self.name}: no source backs {', '.join(uncited)}")
        if self.name in self.variants:
            raise ValueError(f"{self.name}: an entry cannot be its own variant")

    def figures_known(self) -> tuple[str, ...]:
        """Names of the figures that are not None."""
        return tuple(f for f in FIGURES if getattr(self, f) is not None)

    def cited(self) -> frozenset[str]:
        """Names of the figures some source backs."""
        return frozenset(f for s in self.sources for f in cited_fields(s))


SPEC_FIELDS = tuple(f.name for f in fields(GpuSpec))


@dataclass(frozen=True)
class Part:
    """Figures taken from one document."""

    doc: Doc
    values: tuple[tuple[str, float | str], ...]


def per(doc: Doc, **values: float | str) -> Part:
    """Figures as `doc` gives them: `per(DATASHEET, memory_gb=80, tdp_w=700)`."""
    return Part(doc, tuple(values.items()))


def make(
    name: str, vendor: str, kind: str, *parts: Part, variants: tuple[str, ...] = ()
) -> GpuSpec:
    """A GpuSpec whose figures come from `parts`, each part citing its document."""
    merged: dict[str, float | str] = {}
    for part in parts:
        for key, value in part.values:
            if key in merged:
                raise ValueError(f"{name}: {key} given twice")
            merged[key] = value
    link = merged.pop("interconnect", None)
    if link is not None and not isinstance(link, str):
        raise ValueError(f"{name}: interconnect must be text")
    unknown = sorted(set(merged) - set(_NUMERIC))
    if unknown:
        raise ValueError(f"{name}: unknown figures {unknown}")
    numbers = {key: _number(name, key, value) for key, value in merged.items()}
    return GpuSpec(
        name=name,
        vendor=vendor,
        kind=kind,
        memory_gb=numbers.get("memory_gb"),
        mem_bw_gbs=numbers.get("mem_bw_gbs"),
        bf16_tflops=numbers.get("bf16_tflops"),
        fp16_tflops=numbers.get("fp16_tflops"),
        fp8_tflops=numbers.get("fp8_tflops"),
        fp32_tflops=numbers.get("fp32_tflops"),
        tdp_w=numbers.get("tdp_w"),
        interconnect=link,
        sources=tuple(part.doc.cite(*(k for k, _ in part.values)) for part in parts),
        variants=variants,
        fp4_tflops=numbers.get("fp4_tflops"),
    )


def _number(name: str, key: str, value: float | str) -> float:
    if isinstance(value, str):
        raise ValueError(f"{name}: {key} must be a number, got {value!r}")
    return float(value)

