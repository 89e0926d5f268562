"""`gpubroker bench-gpu` on the CPU with the small size (a CPU build of torch suffices)."""

from __future__ import annotations

import json
import sys

import pytest

from gpubench import bench as bench_gpu

ARGS = ["--device", "cpu", "--size", "small"]


def test_without_torch_it_says_how_to_install_and_exits_2(
        monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.setitem(sys.modules, "torch", None)   # makes `import torch` fail
    assert bench_gpu.main(ARGS) == 2
    assert "pip install 'gpubroker[torch]'" in capsys.readouterr().out


def test_json_report_on_cpu(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch")
    assert bench_gpu.main([*ARGS, "--json"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["device"] == "cpu" and report["gpu"] is None
    assert report["matmul"]["measured"] > 0 and report["bandwidth"]["measured"] > 0
    assert report["prefill"]["tokens_per_s"] > 0 and report["decode"]["tokens_per_s"] > 0
    assert report["matmul"]["ratio"] is None


def test_datasheet_ratio_with_a_named_gpu(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch")
    assert bench_gpu.main([*ARGS, "--json", "--gpu", "H100-SXM"]) == 0
    report = json.loads(capsys.readouterr().out)
    assert report["gpu"] == "H100-SXM"
    assert report["bandwidth"]["datasheet"] == 3350.0
    assert report["bandwidth"]["ratio"] == pytest.approx(
        report["bandwidth"]["measured"] / 3350.0)
    assert report["matmul"]["datasheet"] == 67.0   # fp32 figure: the CPU runs fp32


def test_text_table(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch")
    assert bench_gpu.main(ARGS) == 0
    out = capsys.readouterr().out
    assert "dense matmul, TFLOPS" in out and "decode" in out and "tokens/s" in out


def test_unknown_gpu_name_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch")
    assert bench_gpu.main([*ARGS, "--gpu", "H900"]) == 2
    assert "H900" in capsys.readouterr().out


def test_cuda_asked_without_cuda_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    torch = pytest.importorskip("torch")
    if torch.cuda.is_available():
        pytest.skip("this machine has CUDA")
    assert bench_gpu.main(["--device", "cuda", "--size", "small"]) == 2
    assert "no CUDA" in capsys.readouterr().out


def test_bad_option_is_an_argparse_error() -> None:
    with pytest.raises(SystemExit) as exc:
        bench_gpu.main(["--size", "huge"])
    assert exc.value.code == 2


def test_transformer_byte_and_flop_counts() -> None:
    torch = pytest.importorskip("torch")
    size = bench_gpu.SIZES["small"]
    model = bench_gpu.TinyTransformer(torch, "cpu", torch.float32, size)
    h, i, d = size.hidden, size.intermediate, size.hidden // size.heads
    per_layer = h * (size.heads * d + 2 * size.kv_heads * d) + size.heads * d * h + 3 * h * i
    cache = 2 * size.kv_heads * size.context * d
    head = h * size.vocab
    assert model.bytes_per_decode_step() == 4 * (size.layers * (per_layer + cache) + head)
    assert model.flops_per_token(10) == 2 * (size.layers * per_layer + head) + \
        2 * size.layers * size.heads * d * 10


def test_csv_rows_are_calibration_rows_the_estimator_scores(
        capsys: pytest.CaptureFixture[str], tmp_path: object) -> None:
    pytest.importorskip("torch")
    from pathlib import Path

    from mathcore.estimator import calibration

    assert bench_gpu.main([*ARGS, "--csv", "--gpu", "RTX4090"]) == 0
    path = Path(str(tmp_path)) / "device.csv"
    path.write_text(capsys.readouterr().out, encoding="utf-8")
    rows = calibration.load(path)
    assert [r.metric for r in rows] == ["decode_tokens_per_s", "prefill_tokens_per_s"]
    assert all(r.set == "device" and r.gpu == "RTX4090" and r.measured > 0 for r in rows)
    assert "bench-gpu --size small" in rows[0].source
    results = [calibration.evaluate(r) for r in rows]
    assert all(r.skipped is None and r.estimated and r.estimated > 0 for r in results)


def test_reachable_through_the_cli(capsys: pytest.CaptureFixture[str]) -> None:
    pytest.importorskip("torch")
    from gpubroker.cli import main

    assert main(["bench-gpu", *ARGS, "--json"]) == 0
    assert json.loads(capsys.readouterr().out)["size"] == "small"
