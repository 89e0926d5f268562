"""Non-GPU accelerators: Google TPUs (per chip), AWS Inferentia/Trainium, Intel Gaudi,
Qualcomm Cloud AI 100 and the AMD-Xilinx FPGAs of AWS F1/F2.

TPU figures are per chip from Google Cloud's TPU version pages (memory as printed, GiB or
GB; BF16 is the chip's peak). Google publishes no TDP or FP32 peak for TPUs, and the v2
page no longer gives chip figures. AWS Neuron figures are per chip; "cFP8" is AWS's FP8.
"""

from __future__ import annotations

from mathcore.gpus.spec import Doc, GpuSpec, make, per


def _tpu(version: str) -> Doc:
    return Doc(f"TPU {version} (Google Cloud TPU documentation)",
               f"https://cloud.google.com/tpu/docs/{version}")


def _neuron(page: str, title: str) -> Doc:
    return Doc(f"{title} (AWS Neuron documentation)",
               "https://awsdocs-neuron.readthedocs-hosted.com/en/latest/general/arch/"
               f"neuron-hardware/{page}.html")


INFERENTIA = _neuron("inferentia", "Inferentia Architecture")
INFERENTIA2 = _neuron("inferentia2", "Inferentia2 Architecture")
TRAINIUM = _neuron("trainium", "Trainium Architecture")
AWS_DL1 = Doc("Amazon EC2 DL1 Instances", "https://aws.amazon.com/ec2/instance-types/dl1/")

TPUS: tuple[GpuSpec, ...] = (
    make("TPU-v2", "google", "tpu"),
    make("TPU-v3", "google", "tpu", per(_tpu("v3"), memory_gb=32, mem_bw_gbs=900,
                                        bf16_tflops=123)),
    make("TPU-v4", "google", "tpu", per(_tpu("v4"), memory_gb=32, mem_bw_gbs=1200,
                                        bf16_tflops=275)),
    make("TPU-v5e", "google", "tpu", per(_tpu("v5e"), memory_gb=16, mem_bw_gbs=819,
                                         bf16_tflops=197)),
    make("TPU-v5p", "google", "tpu", per(_tpu("v5p"), memory_gb=95, mem_bw_gbs=2765,
                                         bf16_tflops=459)),
    make("TPU-v6e", "google", "tpu", per(_tpu("v6e"), memory_gb=32, mem_bw_gbs=1638,
                                         bf16_tflops=918)),
)

ASICS: tuple[GpuSpec, ...] = (
    make("Inferentia", "aws", "asic",
         per(INFERENTIA, memory_gb=8, mem_bw_gbs=50, bf16_tflops=64, fp16_tflops=64)),
    make("Inferentia2", "aws", "asic",
         per(INFERENTIA2, memory_gb=32, mem_bw_gbs=820, bf16_tflops=190, fp16_tflops=190,
             fp8_tflops=190, fp32_tflops=47.5, interconnect="NeuronLink-v2")),
    make("Trainium", "aws", "asic",
         per(TRAINIUM, memory_gb=32, mem_bw_gbs=820, bf16_tflops=190, fp16_tflops=190,
             fp8_tflops=190, fp32_tflops=47.5, interconnect="NeuronLink-v2")),
    make("Gaudi", "intel", "asic", per(AWS_DL1, memory_gb=32)),
    make("Qualcomm-AI100", "qualcomm", "asic"),
)

FPGAS: tuple[GpuSpec, ...] = (
    make("VU9P", "xilinx", "fpga"),
    make("VU47P", "xilinx", "fpga"),
)

SPECS: tuple[GpuSpec, ...] = TPUS + ASICS + FPGAS
