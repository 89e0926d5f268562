"""Non-GPU accelerators: Google TPUs (per chip), AWS Inferentia/Trainium, Intel Gaudi,
Qualcomm Cloud AI 100 and the AMD-Xilinx FPGAs of AWS F1/F2.

TPU figures are per chip from Google Cloud's TPU version pages (memory in GiB as
printed; BF16 is the chip's peak). Google publishes no TDP or FP32 peak for TPUs.
"""

from __future__ import annotations

from mathcore.gpus.spec import Doc, GpuSpec, make, per


def _tpu(version: str) -> Doc:
    return Doc(f"Cloud TPU {version} (Google Cloud documentation)",
               f"https://cloud.google.com/tpu/docs/{version}")


TPUS: tuple[GpuSpec, ...] = (
    make("TPU-v2", "google", "tpu"),
    make("TPU-v3", "google", "tpu"),
    make("TPU-v4", "google", "tpu"),
    make("TPU-v5e", "google", "tpu"),
    make("TPU-v5p", "google", "tpu",
         per(_tpu("v5p"), memory_gb=95, mem_bw_gbs=2765, bf16_tflops=459)),
    make("TPU-v6e", "google", "tpu"),
)

ASICS: tuple[GpuSpec, ...] = (
    make("Inferentia", "aws", "asic"),
    make("Inferentia2", "aws", "asic"),
    make("Trainium", "aws", "asic"),
    make("Gaudi", "intel", "asic"),
    make("Qualcomm-AI100", "qualcomm", "asic"),
)

FPGAS: tuple[GpuSpec, ...] = (
    make("VU9P", "xilinx", "fpga"),
    make("VU47P", "xilinx", "fpga"),
)

SPECS: tuple[GpuSpec, ...] = TPUS + ASICS + FPGAS
