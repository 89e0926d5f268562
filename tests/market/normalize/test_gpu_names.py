"""Canonical GPU names: every name in the shared real data, aliases, memory and form factor."""

from __future__ import annotations

import ast
import csv
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from market.normalize.gpu_names import canonical_gpu_names, gpu_family_members, gpu_identify
from mathcore.gpus import GPU_SPECS
from tests.conftest import PROVIDER_SAMPLES, SHARED_DATA

CATALOGS = SHARED_DATA / "catalogs"
# Names in the data that are not a GPU model: SkyPilot's accelerator list carries the
# vendor "NVIDIA" alone (common/accelerators.csv), which names no model.
NOT_A_MODEL = frozenset({"NVIDIA"})


def _catalog_rows() -> Iterator[tuple[str, dict[str, str]]]:
    for path in sorted(CATALOGS.rglob("*.csv")):
        with path.open(newline="") as handle:
            for row in csv.DictReader(handle):
                yield str(path.relative_to(CATALOGS)), row


def _gpu_info_names(text: str) -> list[str]:
    text = text.strip()
    if not text.startswith("{"):
        return [text] if text else []
    try:
        info = json.loads(text)
    except json.JSONDecodeError:
        info = ast.literal_eval(text)
    gpus = info.get("Gpus") or info.get("gpus") or []
    return [str(g.get("Name") or g.get("name")) for g in gpus if g.get("Name") or g.get("name")]


def _catalog_names() -> set[tuple[str, str, str]]:
    """(file, name, instance type) for every AcceleratorName and GpuInfo name."""
    found = set()
    for where, row in _catalog_rows():
        hint = row.get("InstanceType") or ""
        if row.get("AcceleratorName"):
            found.add((where, row["AcceleratorName"], hint))
        for name in _gpu_info_names(row.get("GpuInfo") or ""):
            found.add((where, name, hint))
    return found


def _walk(value: Any, *path: str) -> Iterator[Any]:
    """Values at a key path; "*" steps into every list item or dict value."""
    if not path:
        yield value
        return
    head, rest = path[0], path[1:]
    if head == "*":
        items = value if isinstance(value, list) else list(value.values())
        for item in items:
            yield from _walk(item, *rest)
    elif isinstance(value, dict) and head in value:
        yield from _walk(value[head], *rest)


def _keys(value: Any, *path: str) -> Iterator[Any]:
    for mapping in _walk(value, *path):
        yield from mapping


# Every GPU-name field of the provider samples: (file, extractor of names).
SampleFields = Callable[[Any], Iterator[Any]]
SAMPLE_FIELDS: list[tuple[str, SampleFields]] = [
    ("cudo/machine-types_gpuhunt-0.1.25.json", lambda d: _walk(d, "*", "gpuModel")),
    ("cudo/machine-types_gpuhunt-0.1.25.json", lambda d: _walk(d, "*", "gpuModelId")),
    ("digitalocean/sizes_gpuhunt-0.1.34.json",
     lambda d: _walk(d, "sizes", "*", "gpu_info", "model")),
    ("hotaisle/virtual_machines_available_gpuhunt-0.1.34.json",
     lambda d: _walk(d, "*", "Specs", "gpus", "*", "model")),
    ("hotaisle/bare_metal_available_gpuhunt-0.1.34.json",
     lambda d: _walk(d, "*", "Specs", "gpus", "*", "model")),
    ("jarvislabs/server_meta_gpuhunt-0.1.34.json",
     lambda d: _walk(d, "server_meta", "*", "gpu_type")),
    ("lambda/instance-types_terraform-provider-lambdalabs_fixture.json",
     lambda d: _walk(d, "data", "*", "instance_type", "gpu_description")),
    ("runpod/gpuTypes_list_runpod-docs.json", lambda d: _walk(d, "*", "id")),
    ("runpod/gpuTypes_list_runpod-docs.json", lambda d: _walk(d, "*", "displayName")),
    ("runpod/gpuType_detail_runpod-docs.json", lambda d: _walk(d, "id")),
    ("runpod/gpuType_detail_runpod-docs.json", lambda d: _walk(d, "displayName")),
    ("shadeform/instances-types_docs-example.json",
     lambda d: _walk(d, "instance_types", "*", "configuration", "gpu_type")),
    ("shadeform/instances-types_docs-example.json",
     lambda d: _walk(d, "instance_types", "*", "shade_instance_type")),
    ("tensordock/hostnode_specs_v0_gpuhunt-0.1.15.json", lambda d: _keys(d, "gpu")),
    ("vastai/offer_gpuhunt-0.1.34_synthetic.json", lambda d: _walk(d, "offers", "*", "gpu_name")),
    ("vastai/search-offers_raw_captured.json", lambda d: _walk(d, "*", "gpu_name")),
    ("verda/instance-types_gpuhunt-0.1.34.json", lambda d: _verda(d, "model")),
    ("verda/instance-types_gpuhunt-0.1.34.json", lambda d: _verda(d, "name")),
    ("verda/instance-types_gpuhunt-0.1.34.json",
     lambda d: (it["gpu"]["description"] for it in d if it["gpu"]["number_of_gpus"])),
    ("vultr/plans_vcg_gpuhunt-0.1.34.json", lambda d: _walk(d, "plans", "*", "gpu_type")),
]


def _verda(data: list[dict[str, Any]], field: str) -> Iterator[Any]:
    return (it[field] for it in data if it["gpu"]["number_of_gpus"])


def _sample_names() -> list[tuple[str, str]]:
    found = []
    for file, extract in SAMPLE_FIELDS:
        data = json.loads((PROVIDER_SAMPLES / file).read_text())
        names = sorted({str(n) for n in extract(data)})
        assert names, f"no GPU name found in {file}: has its shape changed?"
        found += [(file, n) for n in names]
    return found


def test_every_catalog_gpu_name_is_known(shared_data: Path) -> None:
    names = _catalog_names()
    assert len({name for _, name, _ in names}) > 100
    unknown = sorted(
        (where, name) for where, name, _ in names
        if name not in NOT_A_MODEL and gpu_identify(name) is None
    )
    assert unknown == []


def test_catalog_names_stay_in_their_family_with_instance_type_hints(shared_data: Path) -> None:
    wrong = []
    for where, name, hint in sorted(_catalog_names()):
        plain, hinted = gpu_identify(name), gpu_identify(name, hint=hint)
        if plain is None or hinted is None:
            continue  # unknown names are the test above
        # A hint narrows within the family, or names the Ti of a model (RTX5060 -> RTX5060Ti).
        if not (_same_family(plain.name, hinted.name) or hinted.name == plain.name + "Ti"):
            wrong.append((where, name, hint, plain.name, hinted.name))
    assert wrong == []


def test_not_a_model_is_unknown() -> None:
    assert all(gpu_identify(name) is None for name in NOT_A_MODEL)


def test_every_provider_sample_gpu_name_is_known(shared_data: Path) -> None:
    unknown = [(file, name) for file, name in _sample_names() if gpu_identify(name) is None]
    assert unknown == []


@pytest.mark.parametrize("raw", ["NVIDIA GeForce RTX 4090", "RTX 4090", "rtx4090", "4090",
                                 "RTX4090", "NVIDIA-GeForce-RTX-4090", " rtx-4090 "])
def test_rtx4090_aliases(raw: str) -> None:
    identity = gpu_identify(raw)
    assert identity is not None and identity.name == "RTX4090"
    assert (identity.vendor, identity.kind) == ("nvidia", "gpu")


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("A100-80GB", "A100-80GB"),
        ("NVIDIA A100 80GB PCIe", "A100-80GB-PCIe"),
        ("NVIDIA A100-SXM4-80GB", "A100-80GB-SXM"),
        ("A100-80GB-SXM", "A100-80GB-SXM"),
        ("NVIDIA A100 (80 GB)", "A100-80GB"),
        ("A100-80G", "A100-80GB"),
        ("NVIDIA-H100-80GB-HBM3", "H100-SXM"),  # HBM3 at 80 GB: the SXM5 part
        ("NVIDIA H100 PCIe", "H100-PCIe"),
        ("H100 NVL", "H100-NVL"),
        ("H100-MEGA", "H100-SXM"),
        ("H100", "H100"),
        ("H100-NVLINK", "H100"),
        ("H200", "H200"),
        ("NVIDIA-H200-NVL", "H200-NVL"),
        ("nvidia-h200-141Gi-sxm5", "H200-SXM"),
        ("Tesla P100-PCIE-16GB", "P100-PCIe-16GB"),
        ("P100", "P100"),
        ("Tesla V100-SXM2-16GB", "V100-SXM2-16GB"),
        ("V100-32G", "V100-32GB"),
        ("tpu-v5p-128", "TPU-v5p"),
        ("tpu-v5litepod-8", "TPU-v5e"),
        ("tpu-v6e", "TPU-v6e"),
        ("TPU v4", "TPU-v4"),
        ("v5litepod-8", "TPU-v5e"),  # GCP accelerator type, no "tpu-" prefix
        ("tpu-v5-lite-podslice", "TPU-v5e"),  # GKE's name
        ("v6e-1", "TPU-v6e"),
        ("v100", "V100"),  # not a TPU "v1"
        ("Gaudi HL-205", "Gaudi"),
        ("Qualcomm AI100", "Qualcomm-AI100"),
        ("Virtex UltraScale (VU9P)", "VU9P"),
        ("Virtex UltraScale+ (VU47P)", "VU47P"),
        ("Radeon Pro V520", "RadeonProV520"),
        ("Radeon MI25", "MI25"),
        ("amd_mi300x", "MI300X"),
        ("RTX 6000 Ada Generation", "RTX6000Ada"),
        ("RTX6000-Ada", "RTX6000Ada"),
        ("RTX6000", "RTX6000"),
        ("A6000", "RTXA6000"),
        ("RTXPRO6000WS", "RTXPRO6000-WS"),
        ("RTX PRO 6000 Blackwell", "RTXPRO6000"),
        ("l40-pcie-48gb", "L40"),
    ],
)
def test_raw_names(raw: str, expected: str) -> None:
    identity = gpu_identify(raw)
    assert identity is not None and identity.name == expected


@pytest.mark.parametrize(
    ("raw", "memory_gb", "expected"),
    [
        ("A100", 40, "A100-40GB"),
        ("A100", 80, "A100-80GB"),
        ("A100", 81559 / 1024, "A100-80GB"),  # MiB as nvidia-smi reports it
        ("A100", None, "A100"),
        ("A100", 4, "A100"),  # a fractional slice fits no model: memory is ignored
        ("V100", 16, "V100-16GB"),
        ("V100", 32, "V100-32GB"),
        ("H100", 80, "H100"),
        ("H100", 94, "H100-NVL"),
        ("H100", 96, "H100-NVL"),
        ("GH200", 96, "GH200-96GB"),
        ("RTX A2000", 6, "RTXA2000-6GB"),
        ("A100-40GB", 80, "A100-40GB"),  # the name's own memory wins over the caller's
    ],
)
def test_memory_disambiguates(raw: str, memory_gb: float | None, expected: str) -> None:
    identity = gpu_identify(raw, memory_gb=memory_gb)
    assert identity is not None and identity.name == expected


@pytest.mark.parametrize(
    ("raw", "hint", "expected"),
    [
        ("H100", "gpu_1x_h100_pcie", "H100-PCIe"),
        ("H100", "gpu_8x_h100_sxm5", "H100-SXM"),
        ("H100", "H100_PCIE_80GB::1", "H100-PCIe"),
        ("H100", "p5.48xlarge", "H100-SXM"),
        ("H100", "Standard_ND96isr_H100_v5", "H100-SXM"),
        ("H100", "Standard_NC40ads_H100_v5", "H100-NVL"),
        ("H100", "h100-80gb.sxm.8x", "H100-SXM"),
        ("H100", "a3-megagpu-8g", "H100-SXM"),
        ("H100", "epyc-genoa-h100-nvl-pcie_1x12v24gb", "H100-NVL"),
        ("H100", "2x-H100_NVL-32-65536", "H100-NVL"),
        ("H100", "hyperstack_H100x8-NVLINK", "H100"),
        ("H200", "p5e.48xlarge", "H200-SXM"),
        ("H200", "1x-H200_NVL-32-65536", "H200-NVL"),
        ("A100", "p4d.24xlarge", "A100-40GB-SXM"),
        ("A100-80GB", "p4de.24xlarge", "A100-80GB-SXM"),
        ("A100-80GB", "Standard_NC24ads_A100_v4", "A100-80GB-PCIe"),
        ("A100", "Standard_ND96asr_v4", "A100-40GB-SXM"),
        ("V100", "p3.2xlarge", "V100-SXM2-16GB"),
        ("V100-32GB", "p3dn.24xlarge", "V100-SXM2-32GB"),
        ("V100", "intel-broadwell-v100_2x16v32gb", "V100"),  # host RAM is not GPU memory
        ("RTX5060", "2x-RTX_5060_Ti-32-65536", "RTX5060Ti"),
        ("NVIDIA A100 80GB PCIe", "p4de.24xlarge", "A100-80GB-PCIe"),  # the name wins
    ],
)
def test_hint_resolves_form_factor(raw: str, hint: str, expected: str) -> None:
    identity = gpu_identify(raw, hint=hint)
    assert identity is not None and identity.name == expected


def test_h100_nvl_is_not_h100_sxm() -> None:
    nvl, sxm = gpu_identify("H100 NVL"), gpu_identify("H100 SXM")
    assert nvl is not None and sxm is not None
    assert nvl.name != sxm.name
    assert (nvl.memory_gb, sxm.memory_gb) == (94, 80)


@pytest.mark.parametrize("raw", ["", "   ", "NVIDIA", "H100-FOO-BAR", "quantum toaster",
                                 "tpu-v9", "RTX 9999", "-", "GB"])
def test_unknown_is_none(raw: str) -> None:
    assert gpu_identify(raw) is None


@pytest.mark.parametrize("odd", [None, 42, b"H100", ["H100"]])
def test_odd_input_is_none(odd: Any) -> None:
    assert gpu_identify(odd) is None
    assert gpu_identify("H100", hint=odd) is None
    assert gpu_family_members(odd) == []


def test_odd_memory_is_ignored() -> None:
    for memory in (-1, 0, float("nan"), "80"):
        identity = gpu_identify("A100", memory_gb=memory)  # type: ignore[arg-type]
        assert identity is not None and identity.name == "A100"


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("RTX 4090", ["RTX4090"]),
        ("4090", ["RTX4090"]),
        ("H100-NVL", ["H100-NVL"]),
        ("A100-80GB", ["A100-80GB", "A100-80GB-SXM", "A100-80GB-PCIe"]),
        ("v100 32gb", ["V100-32GB", "V100-SXM2-32GB", "V100-PCIe-32GB"]),
        ("no such gpu", []),
    ],
)
def test_family_members_of_a_model(query: str, expected: list[str]) -> None:
    assert gpu_family_members(query) == expected


@pytest.mark.parametrize(
    ("query", "must_include"),
    [
        ("A100", {"A100", "A100-40GB", "A100-80GB", "A100-80GB-SXM", "A100-40GB-PCIe"}),
        ("a-100", {"A100-40GB", "A100-80GB"}),
        ("H100", {"H100", "H100-SXM", "H100-PCIe", "H100-NVL"}),
        (" h 100 ", {"H100", "H100-NVL"}),
        ("V100", {"V100", "V100-16GB", "V100-32GB"}),
        ("H200", {"H200", "H200-SXM", "H200-NVL"}),
        ("tpu", {"TPU-v2", "TPU-v5p", "TPU-v6e"}),
    ],
)
def test_family_members_of_a_family(query: str, must_include: set[str]) -> None:
    members = gpu_family_members(query)
    assert must_include <= set(members)
    assert len(members) == len(set(members))


def test_family_does_not_leak_into_neighbours() -> None:
    assert "A10" not in gpu_family_members("A100")
    assert "GH200" not in gpu_family_members("H200")
    assert "RTX4060Ti" not in gpu_family_members("RTX4060")


def test_every_canonical_name_has_a_spec_and_identifies_as_itself() -> None:
    names = canonical_gpu_names()
    assert names == sorted(GPU_SPECS)
    for name in names:
        identity = gpu_identify(name)
        assert identity is not None and identity.name == name, name
        spec = GPU_SPECS[name]
        assert (identity.vendor, identity.kind, identity.memory_gb) == (
            spec.vendor, spec.kind, spec.memory_gb)


def _same_family(name: str, other: str) -> bool:
    return other in gpu_family_members(name.split("-")[0])
