"""NVIDIA data-center GPUs, from NVIDIA's datasheets.

NVIDIA datasheets print tensor throughput "with sparsity" (footnote *); the dense figure
is half of it, written below as `sparse / 2` so the printed number stays visible.
"""

from __future__ import annotations

from mathcore.gpus.spec import Doc, GpuSpec, make, per

H100_DS = Doc(
    "NVIDIA H100 Tensor Core GPU Datasheet",
    "https://resources.nvidia.com/en-us-tensor-core/nvidia-tensor-core-gpu-datasheet",
)
H200_DS = Doc(
    "NVIDIA H200 Tensor Core GPU (product page, specifications)",
    "https://www.nvidia.com/en-us/data-center/h200/",
)
GH200_DS = Doc(
    "NVIDIA GH200 Grace Hopper Superchip (product page, specifications)",
    "https://www.nvidia.com/en-us/data-center/grace-hopper-superchip/",
)
HGX_DS = Doc(
    "NVIDIA HGX Platform (product page, HGX B200 technical specifications)",
    "https://www.nvidia.com/en-us/data-center/hgx/",
)
A100_DS = Doc(
    "NVIDIA A100 Tensor Core GPU Datasheet",
    "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a100/pdf/"
    "nvidia-a100-datasheet-us-nvidia-1758950-r4-web.pdf",
)
V100_DS = Doc(
    "NVIDIA Tesla V100 GPU Accelerator Datasheet",
    "https://images.nvidia.com/content/technologies/volta/pdf/"
    "volta-v100-datasheet-update-us-1165301-r5.pdf",
)
A10_DS = Doc(
    "NVIDIA A10 Tensor Core GPU Datasheet",
    "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/a10/pdf/a10-datasheet.pdf",
)
A30_DS = Doc(
    "NVIDIA A30 Tensor Core GPU Datasheet",
    "https://www.nvidia.com/content/dam/en-zz/Solutions/data-center/products/a30-gpu/pdf/"
    "a30-datasheet.pdf",
)
A40_DS = Doc(
    "NVIDIA A40 GPU Datasheet",
    "https://images.nvidia.com/content/Solutions/data-center/a40/nvidia-a40-datasheet.pdf",
)
L4_DS = Doc(
    "NVIDIA L4 Tensor Core GPU Datasheet",
    "https://resources.nvidia.com/en-us-data-center-overview/l4-gpu-datasheet",
)
L40_DS = Doc(
    "NVIDIA L40 GPU Datasheet",
    "https://images.nvidia.com/content/Solutions/data-center/vgpu-L40-datasheet.pdf",
)
L40S_DS = Doc(
    "NVIDIA L40S GPU Datasheet",
    "https://resources.nvidia.com/en-us-l40s/l40s-datasheet-28413",
)
T4_DS = Doc(
    "NVIDIA T4 Tensor Core GPU Datasheet",
    "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/tesla-t4/"
    "t4-tensor-core-datasheet-951643.pdf",
)
P100_PCIE_DS = Doc(
    "NVIDIA Tesla P100 PCIe GPU Accelerator Datasheet",
    "https://images.nvidia.com/content/tesla/pdf/nvidia-tesla-p100-PCIe-datasheet.pdf",
)
P100_SXM2_DS = Doc(
    "NVIDIA Tesla P100 (SXM2) GPU Accelerator Datasheet",
    "https://images.nvidia.com/content/tesla/pdf/nvidia-tesla-p100-datasheet.pdf",
)
P4_DS = Doc(
    "NVIDIA Tesla P4 Inferencing Accelerator Datasheet",
    "https://images.nvidia.com/content/pdf/tesla/184457-Tesla-P4-Datasheet-NV-Final-Letter-Web.pdf",
)
K80_DS = Doc(
    "Tesla K80 GPU Accelerator Board Specification (BD-07317-001)",
    "https://www.nvidia.com/content/dam/en-zz/Solutions/Data-Center/tesla-product-literature/"
    "Tesla-K80-BoardSpec-07317-001-v05.pdf",
)
M60_DS = Doc(
    "NVIDIA Tesla M60 GPU Accelerator Datasheet",
    "https://images.nvidia.com/content/tesla/pdf/188417-Tesla-M60-DS-A4-fnl-Web.pdf",
)
A16_DS = Doc(
    "NVIDIA A16 GPU Datasheet",
    "https://images.nvidia.com/content/Solutions/data-center/vgpu-a16-datasheet.pdf",
)
AWS_G5 = Doc("Amazon EC2 G5 Instances", "https://aws.amazon.com/ec2/instance-types/g5/")
AWS_G5G = Doc("Amazon EC2 G5g Instances", "https://aws.amazon.com/ec2/instance-types/g5g/")

H100_SXM = "NVLink 4 (900 GB/s)"
H100_PCIE = "PCIe 5.0 x16 (128 GB/s); NVLink bridge 600 GB/s"
A100_SXM = "NVLink 3 (600 GB/s)"
A100_PCIE = "PCIe 4.0 x16 (64 GB/s); NVLink bridge 600 GB/s"

HOPPER: tuple[GpuSpec, ...] = (
    make(
        "H100-SXM", "nvidia", "gpu",
        per(H100_DS, memory_gb=80, mem_bw_gbs=3350, fp32_tflops=67, tdp_w=700,
            bf16_tflops=1979 / 2, fp16_tflops=1979 / 2, fp8_tflops=3958 / 2,
            interconnect=H100_SXM),
    ),
    make(
        "H100-PCIe", "nvidia", "gpu",
        per(H100_DS, memory_gb=80, mem_bw_gbs=2000, fp32_tflops=51, tdp_w=350,
            bf16_tflops=1513 / 2, fp16_tflops=1513 / 2, fp8_tflops=3026 / 2,
            interconnect=H100_PCIE),
    ),
    make(
        "H100-NVL", "nvidia", "gpu",
        per(H100_DS, memory_gb=94, mem_bw_gbs=3900, fp32_tflops=60, tdp_w=400,
            bf16_tflops=1671 / 2, fp16_tflops=1671 / 2, fp8_tflops=3341 / 2,
            interconnect="PCIe 5.0 x16 (128 GB/s); NVLink bridge 600 GB/s"),
    ),
    # Plain "H100" without a form factor: only what SXM and PCIe share.
    make("H100", "nvidia", "gpu", per(H100_DS, memory_gb=80),
         variants=("H100-SXM", "H100-PCIe")),
    make(
        "H200-SXM", "nvidia", "gpu",
        per(H200_DS, memory_gb=141, mem_bw_gbs=4800, fp32_tflops=67, tdp_w=700,
            bf16_tflops=1979 / 2, fp16_tflops=1979 / 2, fp8_tflops=3958 / 2,
            interconnect="NVLink 4 (900 GB/s)"),
    ),
    make(
        "H200-NVL", "nvidia", "gpu",
        per(H200_DS, memory_gb=141, mem_bw_gbs=4800, fp32_tflops=60, tdp_w=600,
            bf16_tflops=1671 / 2, fp16_tflops=1671 / 2, fp8_tflops=3341 / 2,
            interconnect="PCIe 5.0 x16 (128 GB/s); NVLink bridge 900 GB/s"),
    ),
    make("H200", "nvidia", "gpu", per(H200_DS, memory_gb=141, mem_bw_gbs=4800),
         variants=("H200-SXM", "H200-NVL")),
    # GH200: the Hopper GPU of the superchip; the module power covers CPU and memory
    # too, so no GPU TDP is given.
    make(
        "GH200-96GB", "nvidia", "gpu",
        per(GH200_DS, memory_gb=96, mem_bw_gbs=4000, fp32_tflops=67,
            bf16_tflops=1979 / 2, fp16_tflops=1979 / 2, fp8_tflops=3958 / 2,
            interconnect="NVLink-C2C (900 GB/s)"),
    ),
    make(
        "GH200-144GB", "nvidia", "gpu",
        per(GH200_DS, memory_gb=144, mem_bw_gbs=4900, fp32_tflops=67,
            bf16_tflops=1979 / 2, fp16_tflops=1979 / 2, fp8_tflops=3958 / 2,
            interconnect="NVLink-C2C (900 GB/s)"),
    ),
    make(
        "GH200", "nvidia", "gpu",
        per(GH200_DS, fp32_tflops=67, bf16_tflops=1979 / 2, fp16_tflops=1979 / 2,
            fp8_tflops=3958 / 2, interconnect="NVLink-C2C (900 GB/s)"),
        variants=("GH200-96GB", "GH200-144GB"),
    ),
)

BLACKWELL: tuple[GpuSpec, ...] = (
    # HGX B200 specifications list each GPU: tensor figures with sparsity (dense = half).
    make(
        "B200", "nvidia", "gpu",
        per(HGX_DS, memory_gb=180, mem_bw_gbs=7700, fp32_tflops=75, tdp_w=1000,
            bf16_tflops=4500 / 2, fp16_tflops=4500 / 2, fp8_tflops=9000 / 2,
            fp4_tflops=18000 / 2, interconnect="NVLink 5 (1.8 TB/s)"),
    ),
)

AMPERE: tuple[GpuSpec, ...] = (
    make(
        "A100-40GB-SXM", "nvidia", "gpu",
        per(A100_DS, memory_gb=40, mem_bw_gbs=1555, fp32_tflops=19.5, tdp_w=400,
            bf16_tflops=312, fp16_tflops=312, interconnect=A100_SXM),
    ),
    make(
        "A100-40GB-PCIe", "nvidia", "gpu",
        per(A100_DS, memory_gb=40, mem_bw_gbs=1555, fp32_tflops=19.5, tdp_w=250,
            bf16_tflops=312, fp16_tflops=312, interconnect=A100_PCIE),
    ),
    make(
        "A100-80GB-SXM", "nvidia", "gpu",
        per(A100_DS, memory_gb=80, mem_bw_gbs=2039, fp32_tflops=19.5, tdp_w=400,
            bf16_tflops=312, fp16_tflops=312, interconnect=A100_SXM),
    ),
    make(
        "A100-80GB-PCIe", "nvidia", "gpu",
        per(A100_DS, memory_gb=80, mem_bw_gbs=1935, fp32_tflops=19.5, tdp_w=300,
            bf16_tflops=312, fp16_tflops=312, interconnect=A100_PCIE),
    ),
    make(
        "A100-40GB", "nvidia", "gpu",
        per(A100_DS, memory_gb=40, mem_bw_gbs=1555, fp32_tflops=19.5,
            bf16_tflops=312, fp16_tflops=312),
        variants=("A100-40GB-SXM", "A100-40GB-PCIe"),
    ),
    make(
        "A100-80GB", "nvidia", "gpu",
        per(A100_DS, memory_gb=80, fp32_tflops=19.5, bf16_tflops=312, fp16_tflops=312),
        variants=("A100-80GB-SXM", "A100-80GB-PCIe"),
    ),
    make(
        "A100", "nvidia", "gpu",
        per(A100_DS, fp32_tflops=19.5, bf16_tflops=312, fp16_tflops=312),
        variants=("A100-40GB-SXM", "A100-40GB-PCIe", "A100-80GB-SXM", "A100-80GB-PCIe"),
    ),
    # A800: NVIDIA's export variant of the A100; no datasheet for the data-center
    # part was found, so its figures stay unknown.
    make("A800", "nvidia", "gpu"),
    make(
        "A10", "nvidia", "gpu",
        per(A10_DS, memory_gb=24, mem_bw_gbs=600, fp32_tflops=31.2, tdp_w=150,
            bf16_tflops=250 / 2, fp16_tflops=250 / 2, interconnect="PCIe 4.0 x16 (64 GB/s)"),
    ),
    # A10G: AWS's variant of the A10; AWS publishes only its memory.
    make("A10G", "nvidia", "gpu", per(AWS_G5, memory_gb=24)),
    make(
        "A30", "nvidia", "gpu",
        per(A30_DS, memory_gb=24, mem_bw_gbs=933, fp32_tflops=10.3, tdp_w=165,
            bf16_tflops=330 / 2, fp16_tflops=330 / 2,
            interconnect="PCIe 4.0 x16 (64 GB/s); NVLink bridge 200 GB/s"),
    ),
    make(
        "A40", "nvidia", "gpu",
        per(A40_DS, memory_gb=48, mem_bw_gbs=696, fp32_tflops=37.4, tdp_w=300,
            bf16_tflops=299.4 / 2, fp16_tflops=299.4 / 2,
            interconnect="PCIe 4.0 x16; NVLink bridge 112.5 GB/s"),
    ),
)

ADA_DATACENTER: tuple[GpuSpec, ...] = (
    make(
        "L4", "nvidia", "gpu",
        per(L4_DS, memory_gb=24, mem_bw_gbs=300, fp32_tflops=30.3, tdp_w=72,
            bf16_tflops=242 / 2, fp16_tflops=242 / 2, fp8_tflops=485 / 2,
            interconnect="PCIe 4.0 x16 (64 GB/s)"),
    ),
    make(
        "L40", "nvidia", "gpu",
        per(L40_DS, memory_gb=48, mem_bw_gbs=864, fp32_tflops=90.5, tdp_w=300,
            bf16_tflops=362.1 / 2, fp16_tflops=362.1 / 2, fp8_tflops=724 / 2,
            interconnect="PCIe 4.0 x16 (64 GB/s)"),
    ),
    make(
        "L40S", "nvidia", "gpu",
        per(L40S_DS, memory_gb=48, mem_bw_gbs=864, fp32_tflops=91.6, tdp_w=350,
            bf16_tflops=733 / 2, fp16_tflops=733 / 2, fp8_tflops=1466 / 2,
            interconnect="PCIe 4.0 x16 (64 GB/s)"),
    ),
)

TURING_DATACENTER: tuple[GpuSpec, ...] = (
    # T4: Turing has no BF16; 65 TFLOPS is its FP16 (mixed precision) tensor peak.
    make(
        "T4", "nvidia", "gpu",
        per(T4_DS, memory_gb=16, mem_bw_gbs=320, fp32_tflops=8.1, tdp_w=70,
            fp16_tflops=65, interconnect="PCIe 3.0 x16"),
    ),
    # T4g: AWS's Arm-host T4; AWS publishes only its memory.
    make("T4g", "nvidia", "gpu", per(AWS_G5G, memory_gb=16)),
)

V100_FAMILY: tuple[GpuSpec, ...] = tuple(
    make(
        f"V100-{form}-{mem}GB", "nvidia", "gpu",
        per(V100_DS, memory_gb=mem, mem_bw_gbs=900, fp32_tflops=fp32, tdp_w=tdp,
            fp16_tflops=tensor, interconnect=link),
    )
    for form, fp32, tensor, tdp, link in (
        ("SXM2", 15.7, 125, 300, "NVLink 2 (300 GB/s)"),
        ("PCIe", 14, 112, 250, "PCIe 3.0 x16 (32 GB/s)"),
    )
    for mem in (16, 32)
) + (
    make("V100-16GB", "nvidia", "gpu", per(V100_DS, memory_gb=16, mem_bw_gbs=900),
         variants=("V100-SXM2-16GB", "V100-PCIe-16GB")),
    make("V100-32GB", "nvidia", "gpu", per(V100_DS, memory_gb=32, mem_bw_gbs=900),
         variants=("V100-SXM2-32GB", "V100-PCIe-32GB")),
    make("V100", "nvidia", "gpu", per(V100_DS, mem_bw_gbs=900),
         variants=("V100-SXM2-16GB", "V100-PCIe-16GB", "V100-SXM2-32GB", "V100-PCIe-32GB")),
)

PASCAL: tuple[GpuSpec, ...] = (
    # P100 has no tensor cores: its "half precision" peak is not a tensor figure.
    make(
        "P100-PCIe-16GB", "nvidia", "gpu",
        per(P100_PCIE_DS, memory_gb=16, mem_bw_gbs=732, fp32_tflops=9.3, tdp_w=250,
            interconnect="PCIe 3.0 x16 (32 GB/s)"),
    ),
    make(
        "P100-SXM2-16GB", "nvidia", "gpu",
        per(P100_SXM2_DS, memory_gb=16, mem_bw_gbs=732, fp32_tflops=10.6, tdp_w=300,
            interconnect="NVLink 1 (160 GB/s)"),
    ),
    make("P100", "nvidia", "gpu", per(P100_PCIE_DS, memory_gb=16, mem_bw_gbs=732),
         variants=("P100-PCIe-16GB", "P100-SXM2-16GB")),
    make("P4", "nvidia", "gpu",
         per(P4_DS, memory_gb=8, mem_bw_gbs=192, fp32_tflops=5.5, tdp_w=75)),
)

MULTI_GPU_BOARDS: tuple[GpuSpec, ...] = (
    # K80, M60 and A16 boards carry 2, 2 and 4 GPUs; clouds rent them per GPU, so the
    # figures are the board's divided by its GPU count (board power is not divided).
    make("K80", "nvidia", "gpu", per(K80_DS, memory_gb=24 / 2, mem_bw_gbs=480 / 2)),
    make("M60", "nvidia", "gpu", per(M60_DS, memory_gb=16 / 2)),
    make("A16", "nvidia", "gpu",
         per(A16_DS, memory_gb=64 / 4, mem_bw_gbs=800 / 4, fp32_tflops=18 / 4)),
)

SPECS: tuple[GpuSpec, ...] = (
    HOPPER + BLACKWELL + AMPERE + ADA_DATACENTER + TURING_DATACENTER + V100_FAMILY + PASCAL
    + MULTI_GPU_BOARDS
)
