"""Canonical GPU names from what providers and users write.

`gpu_identify("NVIDIA A100 80GB PCIe")` -> A100-80GB-PCIe. A raw name is read in three
parts: the model ("a100"), a memory size ("80GB"), and a form factor ("PCIe", "SXM4",
"NVL"). The model picks a family (all canonical names sharing the part before the first
"-"), memory and form factor narrow it to the exact models that fit. When more than one
still fits, the answer is the generic entry standing for exactly those ("H100" for SXM or
PCIe), never a guess. Evidence, strongest first: the raw name, the `memory_gb` the caller
read from the same source, then the instance-type `hint` (its form-factor words, and the
documented hardware of named cloud instance families in
`market.normalize.instance_families`).
"""

from __future__ import annotations

import difflib
import re
from dataclasses import dataclass
from functools import lru_cache

from market.normalize.instance_families import Evidence, instance_evidence
from mathcore.gpus import GPU_SPECS, GpuSpec

__all__ = ["GpuIdentity", "canonical_gpu_names", "gpu_family_members", "gpu_identify",
           "gpu_names_nearest"]


@dataclass(frozen=True)
class GpuIdentity:
    """A canonical GPU name with its vendor, kind and per-device memory (from the spec)."""

    name: str
    vendor: str
    kind: str
    memory_gb: float | None


# Words that say nothing about the model.
_NOISE = frozenset({
    "nvidia", "geforce", "tesla", "quadro", "amd", "instinct", "radeon", "intel", "habana",
    "google", "cloud", "qualcomm", "xilinx", "amazon", "aws", "tensor", "core", "gpu",
    "generation", "edition", "blackwell", "hbm2", "hbm2e", "hbm3", "hbm3e", "gddr6",
    "gddr6x", "gddr7", "accelerator", "nvlink",
})
_FORMS = {"pcie": "PCIe", "pci": "PCIe", "nvl": "NVL", "mega": "SXM"}
_MEMORY = re.compile(r"(?<![a-z0-9.])(\d+(?:\.\d+)?)\s*(?:gib|gb|gi|g)(?![a-z])")
_COUNT = re.compile(r"^\s*\d+\s*x\s+")
# "tpu-v5p-128", "TPU v4", "v5litepod-8", "tpu-v5-lite-podslice", "v6e-1": generation and
# variant; the slice size after them is not part of the chip's name.
_TPU = re.compile(
    r"^(?:google[\s_-]*)?(?:cloud[\s_-]*)?(tpu[\s_-]*)?v(\d)[\s_-]*(litepod|lite|e|p)?"
    r"(?:[\s_-]*(?:podslice|pod|slice|device))?([\s_-]*\d+)?$"
)
# H100 PCIe carries HBM2e, SXM5 and NVL carry HBM3 ("NVIDIA H100 Tensor Core GPU
# Architecture" whitepaper, https://resources.nvidia.com/en-us-tensor-core/gtc22-whitepaper-hopper).
_NOT_HBM3 = frozenset({"H100-PCIe"})
_TOLERANCE = 0.1  # memory within 10 % of the datasheet: catalogs report GiB or MiB

# Names providers use that are not the canonical spelling of the model.
_ALIASES = {
    "4090": "RTX4090", "3090": "RTX3090", "5090": "RTX5090", "4080": "RTX4080",
    "a6000": "RTXA6000", "a5000": "RTXA5000", "a4500": "RTXA4500", "a4000": "RTXA4000",
    "a2000": "RTXA2000", "rtx6000ada": "RTX6000Ada", "rtx4000ada": "RTX4000Ada",
    "rtx2000ada": "RTX2000Ada", "6000ada": "RTX6000Ada", "rtxpro6000ws": "RTXPRO6000-WS",
    "rtxpro6000workstation": "RTXPRO6000-WS", "rtxpro6000server": "RTXPRO6000-Server",
    "rtxpro6000maxq": "RTXPRO6000-MaxQ", "rtxpro6000wk": "RTXPRO6000",
    "rtxpro6000blackwell": "RTXPRO6000",
    "prov520": "RadeonProV520", "v520": "RadeonProV520",
    "gaudihl205": "Gaudi", "hl205": "Gaudi", "gaudi1": "Gaudi", "ai100": "Qualcomm-AI100",
    "ai100standard": "Qualcomm-AI100", "virtexultrascalevu9p": "VU9P",
    "virtexultrascalevu47p": "VU47P", "inferentia1": "Inferentia", "trainium1": "Trainium",
}


def gpu_identify(raw: str, *, memory_gb: float | None = None, hint: str = "") -> GpuIdentity | None:
    """The canonical GPU a provider's or user's name means; None if not recognised.

    raw: the GPU name as written ("NVIDIA GeForce RTX 4090", "A100-80GB", "tpu-v5p-128").
    memory_gb: per-GPU memory the same source gave; used only if it fits a known model.
    hint: the instance-type name ("gpu_1x_h100_pcie", "p5.48xlarge") for the form factor.
    Never raises: odd input gives None.
    """
    if not isinstance(raw, str) or not isinstance(hint, str):
        return None
    memory = memory_gb if isinstance(memory_gb, int | float) and memory_gb > 0 else None
    name = _identify(raw.strip().lower(), None if memory is None else round(float(memory), 1),
                     hint.strip().lower())
    return None if name is None else _identity(GPU_SPECS[name])


def gpu_family_members(query: str) -> list[str]:
    """Canonical names a user filter means, generic entries first; [] if unknown.

    A family name ("A100", "h100", "V100") means every member; any other name means that
    model and, for a generic entry ("A100-80GB"), the exact models it stands for.
    """
    if not isinstance(query, str):
        return []
    return list(_members(query.strip().lower()))


def gpu_names_nearest(name: str, *, limit: int = 5) -> list[str]:
    """Known GPU names (canonical names and families) closest in spelling to ``name``, for an
    error that says what was meant ("H1000" → H100, H100-SXM …); [] if none is close."""
    keys = _spelling_keys()
    found = difflib.get_close_matches(_flat(name), list(keys), n=limit, cutoff=0.5)
    return list(dict.fromkeys(keys[k] for k in found))


@lru_cache(maxsize=1)
def _spelling_keys() -> dict[str, str]:
    names = [*sorted(_MEMBERS), *sorted(GPU_SPECS)]
    return {_flat(n): n for n in reversed(names)}  # a family wins over its same-key member


def _flat(text: str) -> str:
    return re.sub(r"[^a-z0-9]", "", str(text).lower())


def canonical_gpu_names() -> list[str]:
    """Every canonical GPU name, sorted."""
    return sorted(GPU_SPECS)


@lru_cache(maxsize=8192)
def _identify(raw: str, memory: float | None, hint: str) -> str | None:
    tpu = _tpu_name(raw)
    if tpu:
        return tpu
    key, raw_memory, forms = _read(raw)
    key = _refine_from_hint(key, hint)
    base = _BASES.get(key)
    if base is None:
        return None
    evidence = instance_evidence(hint)
    memories = [m for m in (raw_memory, memory, evidence.memory_gb) if m is not None]
    return _resolve(base, memories, forms or _hint_forms(hint, evidence))


def _read(raw: str) -> tuple[str, float | None, frozenset[str]]:
    """(model key, memory in the name, form factors in the name)."""
    text = _COUNT.sub("", raw)
    sizes = _MEMORY.findall(text)
    text = _MEMORY.sub(" ", text)
    split = [w for w in re.split(r"[^a-z0-9]+", text) if w]
    words = [w for w in split if w not in _NOISE]
    forms = {_form(w) for w in words if _form(w)} | ({"HBM3"} if "hbm3" in split else set())
    key = "".join(w for w in words if not _form(w))
    return key, float(sizes[0]) if sizes else None, frozenset(forms)


def _form(word: str) -> str:
    if re.fullmatch(r"sxm\d?", word):
        return "SXM"
    return _FORMS.get(word, "")


def _hint_forms(hint: str, evidence: Evidence) -> frozenset[str]:
    if evidence.form:
        return frozenset({evidence.form})
    found = set()
    if re.search(r"sxm", hint):
        found.add("SXM")
    if re.search(r"(?<![a-z])pcie?(?![a-z])", hint):
        found.add("PCIe")
    if re.search(r"(?<![a-z])nvl(?![a-z])", hint):
        found.add("NVL")
    if re.search(r"megagpu|(?<![a-z])mega(?![a-z])", hint):
        found.add("SXM")
    return frozenset(found)


def _refine_from_hint(key: str, hint: str) -> str:
    """'rtx5060' with hint '2x-RTX_5060_Ti-...' is the Ti model."""
    flat = re.sub(r"[^a-z0-9]", "", hint)
    if key and key + "ti" in _BASES and key + "ti" in flat:
        return key + "ti"
    return key


def _resolve(base: str, memories: list[float], forms: frozenset[str]) -> str:
    family = _family(base)
    if base != family or not GPU_SPECS[base].variants:
        return base  # an exact model: nothing to narrow
    fits = _by_memory(_LEAVES[family], memories)
    fits = _by_form(fits, forms)
    if len(fits) == 1:
        return fits[0]
    return _smallest_generic(family, frozenset(fits)) or base


def _by_memory(names: tuple[str, ...], memories: list[float]) -> tuple[str, ...]:
    for memory in memories:
        fit = tuple(n for n in names if _memory_fits(GPU_SPECS[n], memory))
        if fit:
            return fit
    return names


def _memory_fits(spec: GpuSpec, memory: float) -> bool:
    known = spec.memory_gb
    return known is not None and abs(memory - known) <= _TOLERANCE * known


def _by_form(names: tuple[str, ...], forms: frozenset[str]) -> tuple[str, ...]:
    if "HBM3" in forms:
        names = tuple(n for n in names if n not in _NOT_HBM3) or names
    # NVL cards are PCIe cards too ("h100-nvl-pcie"): NVL is the more specific word.
    for form in ("NVL", "SXM", "PCIe"):
        if form in forms:
            fit = tuple(n for n in names if _leaf_form(n) == form)
            if fit:
                return fit
    return names


def _leaf_form(name: str) -> str:
    for form in ("SXM", "PCIe", "NVL"):
        if f"-{form}" in name:
            return form
    return ""


def _smallest_generic(family: str, fits: frozenset[str]) -> str | None:
    covering = [g for g in _GENERICS[family] if fits <= frozenset(GPU_SPECS[g].variants)]
    return min(covering, key=lambda g: len(GPU_SPECS[g].variants), default=None)


def _tpu_name(raw: str) -> str | None:
    match = _TPU.match(raw)
    if match is None:
        return None
    prefixed, version, suffix, size = match.groups()
    if not (prefixed or suffix or size):  # a bare "v4" is too vague to be a TPU
        return None
    letter = "e" if suffix in {"litepod", "lite", "e"} else suffix or ""
    name = f"TPU-v{version}{letter}"
    return name if name in GPU_SPECS else None


@lru_cache(maxsize=4096)
def _members(query: str) -> tuple[str, ...]:
    flat = re.sub(r"[^a-z0-9]", "", query)
    family = _FAMILY_KEYS.get(flat)
    if family is None:
        name = _identify(query, None, "")
        if name is None:
            return ()
        if name != _family(name):
            return (name, *sorted(g for g in _GENERICS[_family(name)] if g != name and
                                  frozenset(GPU_SPECS[g].variants) <
                                  frozenset(GPU_SPECS[name].variants)),
                    *GPU_SPECS[name].variants)
        family = name
    return tuple(sorted(_MEMBERS[family], key=lambda n: (not GPU_SPECS[n].variants, n)))


def _identity(spec: GpuSpec) -> GpuIdentity:
    return GpuIdentity(spec.name, spec.vendor, spec.kind, spec.memory_gb)


def _family(name: str) -> str:
    return "TPU" if name.startswith("TPU-") else name.split("-")[0]


def _build_tables() -> tuple[dict[str, str], dict[str, tuple[str, ...]],
                             dict[str, tuple[str, ...]], dict[str, tuple[str, ...]]]:
    members: dict[str, list[str]] = {}
    for name in sorted(GPU_SPECS):
        members.setdefault(_family(name), []).append(name)
    bases: dict[str, str] = {}
    for name in sorted(GPU_SPECS, key=len):
        key = _read(name.lower())[0]
        family = _family(name)
        bases.setdefault(key, family if family in GPU_SPECS and
                         _read(family.lower())[0] == key else name)
    bases.update(_ALIASES)
    leaves = {f: tuple(n for n in m if not GPU_SPECS[n].variants) for f, m in members.items()}
    generics = {f: tuple(n for n in m if GPU_SPECS[n].variants) for f, m in members.items()}
    frozen = {f: tuple(m) for f, m in members.items()}
    return bases, frozen, leaves, generics


_BASES, _MEMBERS, _LEAVES, _GENERICS = _build_tables()
_FAMILY_KEYS = {re.sub(r"[^a-z0-9]", "", f.lower()): f for f in _MEMBERS}
