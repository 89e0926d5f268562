"""Models a request may name, with their parameter counts (MoE totals too) and sources.

LLMs the estimator knows come from `mathcore.llm_models` (their published configs); the
image and speech models from `mathcore.templates`. The rest are listed here with the page
that states their size; they are sized by parameter count only (the estimator then uses
`params_b`, never an invented architecture).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mathcore.llm_models import MODEL_SPECS
from mathcore.templates import TEMPLATES, MemoryOnlyModel


@dataclass(frozen=True)
class KnownModel:
    """A model by name: total parameters (billions), active per token for MoE, its task."""

    name: str
    params_b: float
    task: str
    sources: tuple[str, ...]
    active_params_b: float | None = None
    aliases: tuple[str, ...] = ()

    @property
    def estimator_knows(self) -> bool:
        """Whether `mathcore.llm_models` has its architecture (else: size only)."""
        return self.name in MODEL_SPECS




def _template_model(prefix: str) -> MemoryOnlyModel:
    """The image or speech model a workload template sizes (with its source)."""
    return next(t.memory_only for t in TEMPLATES
                if t.memory_only is not None and t.memory_only.name.startswith(prefix))


_SDXL, _WHISPER = _template_model("SDXL"), _template_model("Whisper")
_LLAMA32 = ("https://huggingface.co/meta-llama/Llama-3.2-1B (Llama 3.2 model card: "
            "1B (1.23B) and 3B (3.21B) parameters)",)
_LLAMA4 = ("https://ai.meta.com/blog/llama-4-multimodal-intelligence/ (Llama 4: Scout 17B "
           "active / 109B total, 16 experts; Maverick 17B active / 400B total, 128 experts)",)
_DEEPSEEK_V3 = ("https://arxiv.org/abs/2412.19437 (DeepSeek-V3 Technical Report: 671B total "
                "parameters, 37B activated per token)",)
_GPT_OSS = ("https://openai.com/index/introducing-gpt-oss/ (gpt-oss-120b: 117B total, 5.1B "
            "active per token; gpt-oss-20b: 21B total, 3.6B active)",)
_QWEN3 = ("https://qwenlm.github.io/blog/qwen3/ (Qwen3: 235B-A22B with 235B total and 22B "
          "activated; 30B-A3B with 30B total and 3B activated)",)
_GEMMA3 = ("https://arxiv.org/abs/2503.19786 (Gemma 3 Technical Report: 1B, 4B, 12B, 27B)",)

_EXTRA: tuple[KnownModel, ...] = (
    KnownModel("Llama-3.2-1B", 1.23, "inference", _LLAMA32),
    KnownModel("Llama-3.2-3B", 3.21, "inference", _LLAMA32),
    KnownModel("Llama-3.3-70B", 70.0, "inference", (
        "https://huggingface.co/meta-llama/Llama-3.3-70B-Instruct (Llama 3.3 model card: "
        "70B parameters)",)),
    KnownModel("Llama-4-Scout", 109.0, "inference", _LLAMA4, active_params_b=17.0),
    KnownModel("Llama-4-Maverick", 400.0, "inference", _LLAMA4, active_params_b=17.0),
    KnownModel("Mixtral-8x22B", 141.0, "inference", (
        "https://mistral.ai/news/mixtral-8x22b (Mixtral 8x22B: 39B active parameters out of "
        "141B)",), active_params_b=39.0),
    KnownModel("Mistral-Large-2", 123.0, "inference", (
        "https://mistral.ai/news/mistral-large-2407 (Mistral Large 2: 123 billion "
        "parameters)",), aliases=("mistrallarge",)),
    KnownModel("Mistral-NeMo-12B", 12.0, "inference", (
        "https://mistral.ai/news/mistral-nemo (Mistral NeMo: a 12B model)",),
        aliases=("mistralnemo",)),
    KnownModel("DeepSeek-V3", 671.0, "inference", _DEEPSEEK_V3, active_params_b=37.0),
    KnownModel("DeepSeek-R1", 671.0, "inference", (
        "https://arxiv.org/abs/2501.12948 (DeepSeek-R1, built on DeepSeek-V3-Base: 671B "
        "total, 37B activated)", *_DEEPSEEK_V3), active_params_b=37.0),
    KnownModel("gpt-oss-120b", 117.0, "inference", _GPT_OSS, active_params_b=5.1),
    KnownModel("gpt-oss-20b", 21.0, "inference", _GPT_OSS, active_params_b=3.6),
    KnownModel("Qwen3-235B-A22B", 235.0, "inference", _QWEN3, active_params_b=22.0,
               aliases=("qwen3235b",)),
    KnownModel("Qwen3-30B-A3B", 30.0, "inference", _QWEN3, active_params_b=3.0,
               aliases=("qwen330b",)),
    KnownModel("Gemma-3-27B", 27.0, "inference", _GEMMA3),
    KnownModel("Gemma-3-12B", 12.0, "inference", _GEMMA3),
    KnownModel("Phi-4", 14.0, "inference", (
        "https://arxiv.org/abs/2412.08905 (Phi-4 Technical Report: a 14-billion parameter "
        "model)",)),
    KnownModel("Falcon-180B", 180.0, "inference", (
        "https://huggingface.co/tiiuae/falcon-180B (Falcon-180B model card: 180B "
        "parameters)",)),
    KnownModel("SDXL-base-1.0", 3.5, "image-generation", (_SDXL.source,),
               aliases=("sdxl", "sdxlbase", "stablediffusionxl", "sdxl10")),
    KnownModel("FLUX.1-dev", 12.0, "image-generation", (
        "https://huggingface.co/black-forest-labs/FLUX.1-dev (FLUX.1 [dev] model card: a 12 "
        "billion parameter rectified flow transformer)",), aliases=("fluxdev", "flux1dev")),
    KnownModel("Whisper-large-v3", _WHISPER.params_b, "transcription", (_WHISPER.source,),
               aliases=("whisperlargev3", "whisperv3large")),
)


def _from_mathcore() -> tuple[KnownModel, ...]:
    return tuple(KnownModel(s.name, s.params_b, "inference", s.sources,
                            active_params_b=s.active_params_b) for s in MODEL_SPECS.values())


KNOWN_MODELS: tuple[KnownModel, ...] = _from_mathcore() + _EXTRA
# Name words that do not change which model is meant.
NOISE_PARTS = frozenset({"instruct", "chat", "hf", "it", "base", "meta", "gguf", "awq",
                         "gptq", "q4", "q8"})


def model_key(text: str) -> str:
    """"Llama 3.1 70B", "llama-3.1-70b-instruct" and "Llama3.1:70b" all give "llama3170b"."""
    parts = re.split(r"[^a-z0-9.]+", text.lower())
    return "".join(p for p in parts if p and p not in NOISE_PARTS).replace(".", "")


MODELS_BY_KEY: dict[str, KnownModel] = {
    key: model for model in KNOWN_MODELS
    for key in (model_key(model.name), *model.aliases)
}
FAMILIES = ("llama", "mistral", "mixtral", "qwen", "gemma", "phi", "deepseek", "gpt-oss",
            "gpt oss", "falcon", "whisper", "flux", "sdxl", "stable diffusion")
