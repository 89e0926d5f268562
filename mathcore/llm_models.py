"""Published architecture facts of well-known LLMs, each with its source.

Every figure comes from the model's published ``config.json`` on Hugging Face (layers,
hidden size, heads, KV heads, head dim, MLP width, vocabulary, tied embeddings, experts);
``params_b`` is the total parameter count its model card or paper states. The estimator
uses them for KV-cache size (layers, KV heads, head dim), for the bytes read per decoded
token (parameters less the input embedding, which is looked up, not read whole) and for
LoRA adapter sizes. `parameter_count` recomputes the total from the shape, so a test can
check every entry against its published count.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from mathcore.errors import MathInputError


@dataclass(frozen=True)
class ModelSpec:
    """A decoder-only transformer as published.

    params_b: total parameters, billions (model card). active_params_b: parameters used per
    token (differs from params_b only for mixture-of-experts models).
    """

    name: str
    family: str
    params_b: float
    layers: int
    hidden_size: int
    attention_heads: int
    kv_heads: int
    head_dim: int
    intermediate_size: int
    vocab_size: int
    tied_embeddings: bool
    sources: tuple[str, ...]
    experts: int = 1
    experts_per_token: int = 1
    active_params_b: float | None = None

    def __post_init__(self) -> None:
        if self.kv_heads <= 0 or self.attention_heads % self.kv_heads:
            raise ValueError(f"{self.name}: attention heads must be a multiple of KV heads")
        if not self.sources:
            raise ValueError(f"{self.name}: every model fact needs a source")

    @property
    def active_params(self) -> float:
        """Parameters touched per token, in units (not billions)."""
        return (self.active_params_b or self.params_b) * 1e9

    @property
    def embedding_params(self) -> int:
        return self.vocab_size * self.hidden_size

    @property
    def kv_elements_per_token(self) -> int:
        """K and V elements cached per token across all layers (multiply by bytes/element)."""
        return 2 * self.layers * self.kv_heads * self.head_dim

    def as_dict(self) -> dict[str, object]:
        return {**self.__dict__, "sources": list(self.sources),
                "active_params_b": self.active_params / 1e9}


def parameter_count(spec: ModelSpec) -> int:
    """Total parameters implied by the shape (norms and biases left out: < 0.1 %)."""
    q_out = spec.attention_heads * spec.head_dim
    kv_out = spec.kv_heads * spec.head_dim
    attention = spec.hidden_size * (2 * q_out + 2 * kv_out)
    mlp = 3 * spec.hidden_size * spec.intermediate_size * spec.experts
    router = spec.hidden_size * spec.experts if spec.experts > 1 else 0
    heads = 1 if spec.tied_embeddings else 2
    return spec.layers * (attention + mlp + router) + heads * spec.embedding_params


def _hf(repo: str) -> str:
    return f"https://huggingface.co/{repo}/blob/main/config.json ({repo} config.json)"


_LLAMA2_PAPER = ("https://arxiv.org/abs/2307.09288 (Touvron et al. 2023, Llama 2: Open "
                 "Foundation and Fine-Tuned Chat Models, Table 1)")
_LLAMA3_CARD = "https://huggingface.co/meta-llama/Meta-Llama-3-8B (Meta Llama 3 model card)"
_LLAMA31_CARD = ("https://huggingface.co/meta-llama/Llama-3.1-8B (Llama 3.1 model card: "
                 "8B, 70B, 405B)")
_QWEN25_BLOG = "https://qwenlm.github.io/blog/qwen2.5-llm/ (Qwen2.5-LLM blog, model table)"


def _llama(name: str, repo: str, card: str, params_b: float, layers: int, hidden: int,
           heads: int, kv: int, mlp: int, vocab: int) -> ModelSpec:
    return ModelSpec(name, "llama", params_b, layers, hidden, heads, kv, hidden // heads, mlp,
                     vocab, False, (_hf(repo), card))


_SPECS: tuple[ModelSpec, ...] = (
    _llama("Llama-2-7B", "meta-llama/Llama-2-7b-hf", _LLAMA2_PAPER,
           6.74, 32, 4096, 32, 32, 11008, 32000),
    _llama("Llama-2-13B", "meta-llama/Llama-2-13b-hf", _LLAMA2_PAPER,
           13.02, 40, 5120, 40, 40, 13824, 32000),
    _llama("Llama-2-70B", "meta-llama/Llama-2-70b-hf", _LLAMA2_PAPER,
           68.98, 80, 8192, 64, 8, 28672, 32000),
    _llama("Llama-3-8B", "meta-llama/Meta-Llama-3-8B", _LLAMA3_CARD,
           8.03, 32, 4096, 32, 8, 14336, 128256),
    _llama("Llama-3-70B", "meta-llama/Meta-Llama-3-70B", _LLAMA3_CARD,
           70.55, 80, 8192, 64, 8, 28672, 128256),
    _llama("Llama-3.1-8B", "meta-llama/Llama-3.1-8B", _LLAMA31_CARD,
           8.03, 32, 4096, 32, 8, 14336, 128256),
    _llama("Llama-3.1-70B", "meta-llama/Llama-3.1-70B", _LLAMA31_CARD,
           70.55, 80, 8192, 64, 8, 28672, 128256),
    _llama("Llama-3.1-405B", "meta-llama/Llama-3.1-405B", _LLAMA31_CARD,
           405.85, 126, 16384, 128, 8, 53248, 128256),
    ModelSpec("Mistral-7B", "mistral", 7.24, 32, 4096, 32, 8, 128, 14336, 32000, False,
              (_hf("mistralai/Mistral-7B-v0.1"),
               "https://arxiv.org/abs/2310.06825 (Jiang et al. 2023, Mistral 7B, Table 1)")),
    ModelSpec("Mixtral-8x7B", "mistral", 46.7, 32, 4096, 32, 8, 128, 14336, 32000, False,
              (_hf("mistralai/Mixtral-8x7B-v0.1"),
               "https://arxiv.org/abs/2401.04088 (Jiang et al. 2024, Mixtral of Experts: "
               "47B parameters, 13B active per token)",
               "https://mistral.ai/news/mixtral-of-experts (Mixtral of experts: 46.7B total, "
               "12.9B used per token)"),
              experts=8, experts_per_token=2, active_params_b=12.9),
    ModelSpec("Qwen2.5-7B", "qwen", 7.61, 28, 3584, 28, 4, 128, 18944, 152064, False,
              (_hf("Qwen/Qwen2.5-7B"), _QWEN25_BLOG)),
    ModelSpec("Qwen2.5-14B", "qwen", 14.7, 48, 5120, 40, 8, 128, 13824, 152064, False,
              (_hf("Qwen/Qwen2.5-14B"), _QWEN25_BLOG)),
    ModelSpec("Qwen2.5-32B", "qwen", 32.5, 64, 5120, 40, 8, 128, 27648, 152064, False,
              (_hf("Qwen/Qwen2.5-32B"), _QWEN25_BLOG)),
    ModelSpec("Qwen2.5-72B", "qwen", 72.7, 80, 8192, 64, 8, 128, 29568, 152064, False,
              (_hf("Qwen/Qwen2.5-72B"), _QWEN25_BLOG)),
    ModelSpec("Gemma-2-9B", "gemma", 9.24, 42, 3584, 16, 8, 256, 14336, 256000, True,
              (_hf("google/gemma-2-9b"),
               "https://arxiv.org/abs/2408.00118 (Gemma Team 2024, Gemma 2: Improving Open "
               "Language Models at a Practical Size, Table 1)")),
    ModelSpec("Gemma-2-27B", "gemma", 27.2, 46, 4608, 32, 16, 128, 36864, 256000, True,
              (_hf("google/gemma-2-27b"),
               "https://arxiv.org/abs/2408.00118 (Gemma Team 2024, Gemma 2, Table 1)")),
    ModelSpec("Phi-3-mini", "phi", 3.8, 32, 3072, 32, 32, 96, 8192, 32064, False,
              (_hf("microsoft/Phi-3-mini-4k-instruct"),
               "https://arxiv.org/abs/2404.14219 (Abdin et al. 2024, Phi-3 Technical Report: "
               "phi-3-mini 3.8B)")),
    ModelSpec("Phi-3-medium", "phi", 14.0, 40, 5120, 40, 10, 128, 17920, 32064, False,
              (_hf("microsoft/Phi-3-medium-4k-instruct"),
               "https://arxiv.org/abs/2404.14219 (Phi-3 Technical Report: phi-3-medium 14B)")),
)

MODEL_SPECS: dict[str, ModelSpec] = {spec.name: spec for spec in _SPECS}

# Name parts that do not change the architecture: tuning, packaging, version, context size.
_NOISE = re.compile(r"^(instruct|chat|hf|it|base|meta|v\d+(\.\d+)*|\d+k)$")


def _key(name: str) -> str:
    parts = re.split(r"[-_\s:]+", name.lower().split("/")[-1])
    return "".join(p for p in parts if p and not _NOISE.match(p)).replace(".", "")


_BY_KEY = {_key(name): spec for name, spec in MODEL_SPECS.items()}


def model_spec(name: str) -> ModelSpec:
    """The published spec of ``name``, tolerant of case, spaces, dashes and suffixes
    ("llama-3.1-70b", "Llama 3.1 70B", "meta-llama/Llama-2-7b-chat-hf").

    Raises MathInputError naming the model and listing the known ones.
    """
    spec = _BY_KEY.get(_key(name))
    if spec is None:
        known = ", ".join(MODEL_SPECS)
        raise MathInputError(f"unknown model {name!r}; known models: {known}; "
                             "or give params_b instead")
    return spec


def nearest_model(params_b: float) -> ModelSpec:
    """The dense known model whose total parameter count is closest to ``params_b``."""
    dense = [s for s in _SPECS if s.experts == 1]
    return min(dense, key=lambda s: abs(s.params_b - params_b) / s.params_b)
