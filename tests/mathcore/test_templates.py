import pytest

from mathcore.errors import MathInputError
from mathcore.estimator import Workload, estimate
from mathcore.templates import TEMPLATES, memory_only_gb, template, template_workload

LLM_TEMPLATES = [t.id for t in TEMPLATES if t.memory_only is None]


@pytest.mark.parametrize("template_id", LLM_TEMPLATES)
def test_defaults_make_a_workload_the_estimator_accepts(template_id: str) -> None:
    fields = template_workload(template_id, {})
    result = estimate(Workload(**{k: v for k, v in fields.items() if v is not None}))
    assert result.memory.total > 0
    assert result.time_hours is not None and result.time_hours > 0


@pytest.mark.parametrize("tmpl", TEMPLATES, ids=lambda t: t.id)
def test_every_question_has_a_default_within_its_bounds(tmpl: object) -> None:
    for q in tmpl.questions:  # type: ignore[attr-defined]
        if q.kind in ("integer", "number") and q.default is not None:
            assert q.minimum <= q.default <= q.maximum, q.id
        if q.kind == "choice":
            assert q.default in q.options, q.id


def test_every_mapping_names_questions_of_its_template() -> None:
    for tmpl in TEMPLATES:
        ids = {q.id for q in tmpl.questions}
        for question in tmpl.maps_to:
            assert question.split(" ")[0] in ids, (tmpl.id, question)


def test_fine_tune_tokens_are_dataset_times_epochs() -> None:
    fields = template_workload("lora-fine-tune", {"dataset_tokens": 1e6, "epochs": 3,
                                                  "lora_rank": 64})
    assert (fields["tokens"], fields["method"], fields["lora_rank"]) == (3e6, "lora", 64)


def test_chat_serves_its_users_at_load() -> None:
    fields = template_workload("llm-chat", {"concurrent_users": 32, "reply_tokens": 100})
    assert (fields["concurrency"], fields["mode"], fields["output_tokens"], fields["task"]) \
        == (32, "throughput", 100, "inference")


@pytest.mark.parametrize(("answers", "message"), [
    ({"concurrent_users": 0}, "concurrent_users"),
    ({"concurrent_users": 2.5}, "integer"),
    ({"concurrent_users": "8"}, "number"),
    ({"precision": "fp2"}, "one of"),
    ({"colour": "blue"}, "no question 'colour'"),
    ({"gpu": ""}, "non-empty"),
])
def test_bad_answers_are_named(answers: dict[str, object], message: str) -> None:
    with pytest.raises(MathInputError, match=message):
        template_workload("llm-chat", answers)


def test_unknown_template_lists_the_known_ones() -> None:
    with pytest.raises(MathInputError, match="llm-chat"):
        template("nope")


def test_memory_only_templates_cite_their_model_card() -> None:
    for tmpl in TEMPLATES:
        if tmpl.memory_only is not None:
            assert tmpl.memory_only.source.startswith("https://huggingface.co/")
            assert "memory fit" in tmpl.description
    sdxl = template("image-generation").memory_only
    assert sdxl is not None and memory_only_gb(sdxl, "fp16") == pytest.approx(13.2)
