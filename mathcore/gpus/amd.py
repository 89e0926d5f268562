"""AMD Instinct and Radeon Pro accelerators, from AMD's data sheets.

AMD prints dense matrix throughput and the sparse figure separately; the dense one is
used. FP32 is the "vector" (non-matrix) figure.
"""

from __future__ import annotations

from mathcore.gpus.spec import Doc, GpuSpec, make, per

MI300X_DS = Doc(
    "AMD Instinct MI300X Accelerator (data sheet)",
    "https://www.amd.com/content/dam/amd/en/documents/instinct-tech-docs/data-sheets/"
    "amd-instinct-mi300x-data-sheet.pdf",
)
MI325X_DS = Doc(
    "AMD Instinct MI325X Accelerator (product page, specifications)",
    "https://www.amd.com/en/products/accelerators/instinct/mi300/mi325x.html",
)
MI25_DS = Doc(
    "Radeon Instinct MI25 Accelerator (product page, specifications)",
    "https://www.amd.com/en/products/professional-graphics/instinct-mi25",
)
AWS_G4AD = Doc("Amazon EC2 G4 Instances (G4ad)", "https://aws.amazon.com/ec2/instance-types/g4/")

SPECS: tuple[GpuSpec, ...] = (
    make(
        "MI300X", "amd", "gpu",
        per(MI300X_DS, memory_gb=192, mem_bw_gbs=5300, fp32_tflops=163.4, tdp_w=750,
            bf16_tflops=1307.4, fp16_tflops=1307.4, fp8_tflops=2614.9,
            interconnect="Infinity Fabric (7 links x 128 GB/s)"),
    ),
    make(
        "MI325X", "amd", "gpu",
        per(MI325X_DS, memory_gb=256, mem_bw_gbs=6000, fp32_tflops=163.4, tdp_w=1000,
            bf16_tflops=1307.4, fp16_tflops=1307.4, fp8_tflops=2614.9),
    ),
    # MI25 has no matrix cores: its packed-FP16 peak is not a tensor figure.
    make("MI25", "amd", "gpu",
         per(MI25_DS, memory_gb=16, mem_bw_gbs=484, fp32_tflops=12.3, tdp_w=300)),
    make("RadeonProV520", "amd", "gpu", per(AWS_G4AD, memory_gb=8)),
)
