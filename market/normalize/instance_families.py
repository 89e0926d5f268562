"""What a cloud's instance-type name documents about its GPUs (form factor, memory per GPU).

Apart from the name parser (``market.normalize.gpu_names``), which reads this evidence as
its weakest hint after the raw name and the source's memory figure.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

__all__ = ["NO_EVIDENCE", "Evidence", "Share", "instance_evidence", "instance_share"]


# What a cloud's instance-type name documents about its GPU. Only families whose
# hardware the cloud's own documentation states are listed, each with that page. A form
# factor follows from the page when it names it, or when it names a link only one form
# factor has (an 8-GPU NVLink/NVSwitch board is SXM).
@dataclass(frozen=True)
class Evidence:
    """Form factor ("SXM", "PCIe", "NVL" or "") and per-GPU memory an instance type implies."""

    form: str = ""
    memory_gb: float | None = None


NO_EVIDENCE = Evidence()

# (instance-type pattern, evidence); first match wins, so longer prefixes come first.
_FAMILIES: tuple[tuple[re.Pattern[str], Evidence], ...] = tuple(
    (re.compile(pattern), evidence)
    for pattern, evidence in (
        # https://aws.amazon.com/ec2/instance-types/p3/ : 8 V100 with NVLink, p3dn 32 GB.
        (r"^p3dn\.", Evidence("SXM", 32)),
        (r"^p3\.", Evidence("SXM", 16)),
        # https://aws.amazon.com/ec2/instance-types/p4/ : 8 A100 on NVSwitch (600 GB/s);
        # p4d 40 GB HBM2, p4de 80 GB HBM2e.
        (r"^p4de\.", Evidence("SXM", 80)),
        (r"^p4d\.", Evidence("SXM", 40)),
        # https://aws.amazon.com/ec2/instance-types/p5/ : 8 H100 (80 GB HBM3) on NVSwitch;
        # p5e/p5en: 8 H200 (141 GB HBM3e).
        (r"^p5e[n]?\.", Evidence("SXM", 141)),
        (r"^p5\.", Evidence("SXM", 80)),
        # https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/nd-h100-v5-series
        (r"^standard_nd\d+isr_h100_v5", Evidence("SXM", 80)),
        # https://learn.microsoft.com/azure/virtual-machines/sizes/gpu-accelerated/ncadsh100v5-series
        # : NVIDIA H100 NVL, 94 GB.
        (r"^standard_nc\d+a?d?i?s_h100_v5", Evidence("NVL", 94)),
        # https://learn.microsoft.com/azure/virtual-machines/nc-a100-v4-series : A100 PCIe 80 GB.
        (r"^standard_nc\d+ads_a100_v4", Evidence("PCIe", 80)),
        # https://learn.microsoft.com/azure/virtual-machines/ndm-a100-v4-series : 8 A100 80 GB,
        # NVLink 3.0.
        (r"^standard_nd\d+amsr_a100_v4", Evidence("SXM", 80)),
        # https://learn.microsoft.com/azure/virtual-machines/nda100-v4-series : 8 A100 40 GB,
        # NVLink 3.0.
        (r"^standard_nd\d+asr_v4", Evidence("SXM", 40)),
        # https://learn.microsoft.com/azure/virtual-machines/ndv2-series : 8 V100 32 GB, NVLink.
        (r"^standard_nd40rs_v2", Evidence("SXM", 32)),
        # https://cloud.google.com/compute/docs/gpus : A2 standard = A100 40GB, A2 ultra =
        # A100 80GB, A3 = H100 80GB SXM ("H100 Mega" on a3-megagpu), A3 Ultra = H200.
        (r"^a2-ultragpu", Evidence("SXM", 80)),
        (r"^a2-(?:highgpu|megagpu)", Evidence("SXM", 40)),
        (r"^a3-ultragpu", Evidence("SXM", 141)),
        (r"^a3-(?:highgpu|megagpu|edgegpu)", Evidence("SXM", 80)),
    )
)


@lru_cache(maxsize=4096)
def instance_evidence(hint: str) -> Evidence:
    """The documented evidence of an instance-type name (lower case)."""
    for pattern, evidence in _FAMILIES:
        if pattern.search(hint):
            return evidence
    return NO_EVIDENCE


@dataclass(frozen=True)
class Share:
    """A partial GPU an instance type documents: its share of one GPU and that share's memory."""

    fraction: float
    memory_gb: float


# Instance types that are a documented share of one GPU (a catalog writes them as one GPU).
_SHARES: tuple[tuple[re.Pattern[str], Share], ...] = tuple(
    (re.compile(pattern), share)
    for pattern, share in (
        # https://learn.microsoft.com/azure/virtual-machines/nvv4-series : AMD Radeon Instinct
        # MI25 partial GPUs, "1/8 … 1" of a GPU, 2/4/8/16 GiB frame buffer; NV32as_v4 is whole.
        (r"^standard_nv4as_v4$", Share(1 / 8, 2.0)),
        (r"^standard_nv8as_v4$", Share(1 / 4, 4.0)),
        (r"^standard_nv16as_v4$", Share(1 / 2, 8.0)),
    )
)


def instance_share(instance_type: str) -> Share | None:
    """The documented share of one GPU ``instance_type`` is, or None (whole GPUs)."""
    name = instance_type.lower()
    return next((share for pattern, share in _SHARES if pattern.search(name)), None)
