"""NVIDIA professional (Quadro / RTX) and GeForce cards.

Figures come from NVIDIA's product pages (professional cards print memory, bandwidth,
FP32 and power; GeForce pages only memory and power) and from the architecture
whitepapers, which give the full table for the cards they cover. GeForce
tensor figures are the whitepapers' "with FP32 accumulate" column (GeForce runs FP16
accumulate at twice that rate); dense = the first of the "dense/sparse" pair.
"""

from __future__ import annotations

from mathcore.gpus.spec import Doc, GpuSpec, make, per

GA102_WP = Doc(
    "NVIDIA Ampere GA102 GPU Architecture (whitepaper)",
    "https://www.nvidia.com/content/PDF/nvidia-ampere-ga-102-gpu-architecture-whitepaper-v2.pdf",
)
ADA_WP = Doc(
    "NVIDIA Ada GPU Architecture (whitepaper)",
    "https://images.nvidia.com/aem-dam/Solutions/geforce/ada/nvidia-ada-gpu-architecture.pdf",
)
BLACKWELL_WP = Doc(
    "NVIDIA RTX Blackwell GPU Architecture (whitepaper)",
    "https://images.nvidia.com/aem-dam/Solutions/geforce/blackwell/"
    "nvidia-rtx-blackwell-gpu-architecture.pdf",
)


def _pro(slug: str, title: str) -> Doc:
    return Doc(f"{title} (product page, specifications)",
               f"https://www.nvidia.com/en-us/design-visualization/{slug}/")


def _geforce(slug: str, title: str) -> Doc:
    return Doc(f"GeForce {title} (product page, specifications)",
               f"https://www.nvidia.com/en-us/geforce/graphics-cards/{slug}/")


RTX_A2000 = _pro("rtx-a2000", "NVIDIA RTX A2000 and A2000 12GB")
RTX_A4000 = _pro("rtx-a4000", "NVIDIA RTX A4000")
RTX_A4500 = _pro("rtx-a4500", "NVIDIA RTX A4500")
RTX_A5000 = _pro("rtx-a5000", "NVIDIA RTX A5000")
RTX_2000_ADA = _pro("rtx-2000", "NVIDIA RTX 2000 Ada Generation")
RTX_4000_ADA = _pro("rtx-4000", "NVIDIA RTX 4000 Ada Generation")
RTX_PRO_6000 = Doc(
    "NVIDIA RTX PRO 6000 Blackwell Series (product page, specifications)",
    "https://www.nvidia.com/en-us/products/workstations/professional-desktop-gpus/rtx-pro-6000/",
)
QUADRO_M4000 = Doc(
    "NVIDIA Quadro M4000 Datasheet",
    "https://images.nvidia.com/content/pdf/quadro/data-sheets/NV-DS-Quadro-M4000-US-NV-fnl-HR.pdf",
)
QUADRO_P4000 = Doc(
    "NVIDIA Quadro P4000 Datasheet",
    "https://images.nvidia.com/content/pdf/quadro/data-sheets/"
    "192152-NV-DS-Quadro-P4000-US-12Sept-NV-FNL-WEB.pdf",
)
QUADRO_RTX_6000 = _pro("quadro/rtx-6000", "NVIDIA Quadro RTX 6000")
RTX30_60 = _geforce("30-series/rtx-3060-3060ti", "RTX 3060 Family")
RTX30_80 = _geforce("30-series/rtx-3080-3080ti", "RTX 3080 Family")
RTX40_60 = _geforce("40-series/rtx-4060-4060ti", "RTX 4060 Family")
RTX40_70 = _geforce("40-series/rtx-4070-family", "RTX 4070 Family")
RTX50_60 = _geforce("50-series/rtx-5060-family", "RTX 5060 Family")
RTX50_70 = _geforce("50-series/rtx-5070-family", "RTX 5070 Family")

WORKSTATION: tuple[GpuSpec, ...] = (
    make("M4000", "nvidia", "gpu",
         per(QUADRO_M4000, memory_gb=8, mem_bw_gbs=192, fp32_tflops=2.6, tdp_w=120)),
    make("P4000", "nvidia", "gpu",
         per(QUADRO_P4000, memory_gb=8, mem_bw_gbs=243, fp32_tflops=5.3, tdp_w=105)),
    make("RTX6000", "nvidia", "gpu",
         per(QUADRO_RTX_6000, memory_gb=24, mem_bw_gbs=672, fp32_tflops=16.3)),
    make("RTXA2000-6GB", "nvidia", "gpu",
         per(RTX_A2000, memory_gb=6, mem_bw_gbs=288, fp32_tflops=8.0, tdp_w=70)),
    make("RTXA2000-12GB", "nvidia", "gpu",
         per(RTX_A2000, memory_gb=12, mem_bw_gbs=288, fp32_tflops=8.0, tdp_w=70)),
    make("RTXA2000", "nvidia", "gpu", per(RTX_A2000, mem_bw_gbs=288, fp32_tflops=8.0, tdp_w=70),
         variants=("RTXA2000-6GB", "RTXA2000-12GB")),
    make("RTXA4000", "nvidia", "gpu",
         per(RTX_A4000, memory_gb=16, mem_bw_gbs=448, fp32_tflops=19.2, tdp_w=140)),
    make("RTXA4500", "nvidia", "gpu",
         per(RTX_A4500, memory_gb=20, mem_bw_gbs=640, fp32_tflops=23.7, tdp_w=200)),
    make("RTXA5000", "nvidia", "gpu",
         per(RTX_A5000, memory_gb=24, mem_bw_gbs=768, fp32_tflops=27.8, tdp_w=230)),
    make(
        "RTXA6000", "nvidia", "gpu",
        per(GA102_WP, memory_gb=48, mem_bw_gbs=768, fp32_tflops=38.7, tdp_w=300,
            bf16_tflops=154.8, fp16_tflops=154.8),
    ),
    make("RTX2000Ada", "nvidia", "gpu",
         per(RTX_2000_ADA, memory_gb=16, mem_bw_gbs=224, fp32_tflops=12.0, tdp_w=70)),
    make("RTX4000Ada", "nvidia", "gpu",
         per(RTX_4000_ADA, memory_gb=20, mem_bw_gbs=360, fp32_tflops=26.7, tdp_w=130)),
    make(
        "RTX6000Ada", "nvidia", "gpu",
        per(ADA_WP, memory_gb=48, mem_bw_gbs=960, fp32_tflops=91.1, tdp_w=300),
    ),
    make("RTXPRO6000-WS", "nvidia", "gpu",
         per(RTX_PRO_6000, memory_gb=96, mem_bw_gbs=1792, tdp_w=600)),
    make("RTXPRO6000-Server", "nvidia", "gpu",
         per(RTX_PRO_6000, memory_gb=96, mem_bw_gbs=1792, tdp_w=600)),
    make("RTXPRO6000-MaxQ", "nvidia", "gpu",
         per(RTX_PRO_6000, memory_gb=96, mem_bw_gbs=1792, tdp_w=300)),
    make("RTXPRO6000", "nvidia", "gpu", per(RTX_PRO_6000, memory_gb=96, mem_bw_gbs=1792),
         variants=("RTXPRO6000-WS", "RTXPRO6000-Server", "RTXPRO6000-MaxQ")),
)

GEFORCE: tuple[GpuSpec, ...] = (
    make("RTX3060", "nvidia", "gpu", per(RTX30_60, memory_gb=12, tdp_w=170)),
    make("RTX3060Ti", "nvidia", "gpu", per(RTX30_60, memory_gb=8, tdp_w=200)),
    make("RTX3070", "nvidia", "gpu",
         per(GA102_WP, memory_gb=8, mem_bw_gbs=448, fp32_tflops=20.3, tdp_w=220)),
    make(
        "RTX3080", "nvidia", "gpu",
        per(GA102_WP, memory_gb=10, mem_bw_gbs=760, fp32_tflops=29.8, tdp_w=320,
            bf16_tflops=59.5, fp16_tflops=59.5),
    ),
    make("RTX3080Ti", "nvidia", "gpu", per(RTX30_80, memory_gb=12, tdp_w=350)),
    make(
        "RTX3090", "nvidia", "gpu",
        per(GA102_WP, memory_gb=24, mem_bw_gbs=936, fp32_tflops=35.6, tdp_w=350,
            bf16_tflops=71, fp16_tflops=71),
    ),
    make("RTX4060", "nvidia", "gpu", per(RTX40_60, memory_gb=8, tdp_w=115)),
    make("RTX4060Ti-8GB", "nvidia", "gpu", per(RTX40_60, memory_gb=8, tdp_w=160)),
    make("RTX4060Ti-16GB", "nvidia", "gpu", per(RTX40_60, memory_gb=16, tdp_w=165)),
    make("RTX4060Ti", "nvidia", "gpu", variants=("RTX4060Ti-8GB", "RTX4060Ti-16GB")),
    make("RTX4070Ti", "nvidia", "gpu", per(RTX40_70, memory_gb=12, tdp_w=285)),
    make("RTX4080", "nvidia", "gpu",
         per(ADA_WP, memory_gb=16, mem_bw_gbs=716.8, fp32_tflops=48.7, tdp_w=320)),
    make(
        "RTX4090", "nvidia", "gpu",
        per(ADA_WP, memory_gb=24, mem_bw_gbs=1008, fp32_tflops=82.6, tdp_w=450,
            bf16_tflops=165.2, fp16_tflops=165.2, fp8_tflops=330.3),
    ),
    make("RTX5060", "nvidia", "gpu", per(RTX50_60, memory_gb=8, tdp_w=145)),
    make("RTX5060Ti-8GB", "nvidia", "gpu", per(RTX50_60, memory_gb=8, tdp_w=180)),
    make("RTX5060Ti-16GB", "nvidia", "gpu", per(RTX50_60, memory_gb=16, tdp_w=180)),
    make("RTX5060Ti", "nvidia", "gpu", per(RTX50_60, tdp_w=180),
         variants=("RTX5060Ti-8GB", "RTX5060Ti-16GB")),
    make("RTX5070", "nvidia", "gpu", per(RTX50_70, memory_gb=12, tdp_w=250)),
    make("RTX5070Ti", "nvidia", "gpu", per(RTX50_70, memory_gb=16, tdp_w=300)),
    make("RTX5090", "nvidia", "gpu",
         per(BLACKWELL_WP, memory_gb=32, mem_bw_gbs=1792, fp32_tflops=104.8, tdp_w=575)),
)

SPECS: tuple[GpuSpec, ...] = WORKSTATION + GEFORCE
