import pytest

from mathcore.errors import MathInputError
from mathcore.llm_models import MODEL_SPECS, model_spec, nearest_model, parameter_count


@pytest.mark.parametrize("name", sorted(MODEL_SPECS))
def test_shape_reproduces_the_published_parameter_count(name: str) -> None:
    spec = MODEL_SPECS[name]
    assert parameter_count(spec) / 1e9 == pytest.approx(spec.params_b, rel=0.01)


@pytest.mark.parametrize("name", sorted(MODEL_SPECS))
def test_every_model_cites_its_config_and_card(name: str) -> None:
    sources = MODEL_SPECS[name].sources
    assert any("config.json" in s for s in sources)
    assert all(s.startswith("https://") for s in sources)


@pytest.mark.parametrize(("spelling", "expected"), [
    ("llama-3.1-70b", "Llama-3.1-70B"),
    ("Llama 3.1 70B", "Llama-3.1-70B"),
    ("meta-llama/Llama-2-7b-chat-hf", "Llama-2-7B"),
    ("Meta-Llama-3-8B-Instruct", "Llama-3-8B"),
    ("mixtral-8x7b-instruct-v0.1", "Mixtral-8x7B"),
    ("Qwen/Qwen2.5-72B-Instruct", "Qwen2.5-72B"),
    ("gemma-2-9b-it", "Gemma-2-9B"),
    ("Phi-3-mini-4k-instruct", "Phi-3-mini"),
    ("llama3.1:405b", "Llama-3.1-405B"),
])
def test_lookup_tolerates_spelling(spelling: str, expected: str) -> None:
    assert model_spec(spelling).name == expected


def test_unknown_model_is_named_in_the_error() -> None:
    with pytest.raises(MathInputError, match="'gpt-17'"):
        model_spec("gpt-17")


def test_published_grouped_query_attention_shapes() -> None:
    # Llama 2 70B: 64 query heads share 8 KV heads (config.json num_key_value_heads=8).
    llama = model_spec("Llama-2-70B")
    assert (llama.attention_heads, llama.kv_heads, llama.head_dim) == (64, 8, 128)
    assert model_spec("Gemma-2-9B").head_dim == 256


def test_mixtral_counts_active_parameters_apart_from_total() -> None:
    mixtral = model_spec("Mixtral-8x7B")
    assert mixtral.params_b == pytest.approx(46.7)
    assert mixtral.active_params == pytest.approx(12.9e9)
    assert model_spec("Llama-2-7B").active_params == pytest.approx(6.74e9)


def test_nearest_model_picks_the_closest_dense_size() -> None:
    assert nearest_model(6.7).name == "Llama-2-7B"
    assert nearest_model(7.3).name == "Mistral-7B"
    assert nearest_model(65).name == "Llama-2-70B"
    assert nearest_model(400).name == "Llama-3.1-405B"
