"""Datasheet facts of GPUs and other accelerators, keyed by canonical name.

Pure: standard library only. Every figure cites its document (see `mathcore.gpus.spec`);
a figure no public document confirmed is None. Names are short and SkyPilot-like
("H100-SXM", "A100-80GB", "RTX4090", "TPU-v5p"). A generic entry ("H100", "A100-80GB",
"V100") stands for a name whose source did not say the form factor or memory size: its
`variants` are the exact models and its figures only those they all share;
`gpu_spec_for_estimate` fills the rest conservatively.
"""

from mathcore.gpus.registry import GPU_SPECS, gpu_spec, gpu_spec_for_estimate
from mathcore.gpus.spec import FIGURES, Doc, GpuSpec, cited_fields

__all__ = [
    "FIGURES",
    "GPU_SPECS",
    "Doc",
    "GpuSpec",
    "cited_fields",
    "gpu_spec",
    "gpu_spec_for_estimate",
]
