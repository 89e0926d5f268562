"""The deployment files, checked by real validators (there is no Docker engine here): the
compose file against the Compose Specification's JSON schema, the Dockerfile's final stage
by its parsed instructions, the Prometheus config by `promtool`, the nginx config by
`nginx -t`, the Grafana provisioning by its shape."""

from __future__ import annotations

import importlib.resources
import json
import re
import shutil
import subprocess
from pathlib import Path
from typing import Any

import jsonschema
import pytest
import yaml
from dockerfile_parse import DockerfileParser

from tests.conftest import REPO_ROOT

DEPLOY = REPO_ROOT / "deploy"
COMPOSE = yaml.safe_load((DEPLOY / "docker-compose.yml").read_text())


def _compose_schema() -> dict[str, Any]:
    vendor = importlib.resources.files("check_jsonschema.builtin_schemas.vendor")
    return json.loads(vendor.joinpath("compose-spec.json").read_text())  # type: ignore[no-any-return]


def test_compose_file_follows_the_compose_specification() -> None:
    validator = jsonschema.validators.validator_for(_compose_schema())(_compose_schema())
    assert [e.message for e in validator.iter_errors(COMPOSE)] == []


def test_compose_runs_the_whole_stack() -> None:
    services = COMPOSE["services"]
    assert set(services) >= {"web", "worker", "beat", "migrate", "postgres", "redis",
                             "clickhouse", "prometheus", "grafana", "proxy"}
    assert "--workers" in services["web"]["command"]
    for name, service in services.items():
        image = service.get("image", "")
        assert image == "gpubroker:latest" or re.search(r":[\w.-]+$", image), name
        assert not image.endswith(":latest") or image.startswith("gpubroker"), name
    app_env = services["web"]["environment"]
    for variable in ("DATABASE_URL", "REDIS_URL", "CLICKHOUSE_URL", "GPUBROKER_SCHEDULER"):
        assert variable in app_env


def test_compose_mounts_files_that_exist() -> None:
    for service in COMPOSE["services"].values():
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("./"):
                assert (DEPLOY / source).exists(), source


def _final_stage(parser: DockerfileParser) -> list[dict[str, Any]]:
    stages = [i for i, ins in enumerate(parser.structure) if ins["instruction"] == "FROM"]
    return parser.structure[stages[-1]:]


def test_dockerfile_runs_slim_as_non_root_with_a_health_check() -> None:
    parser = DockerfileParser(path=str(REPO_ROOT / "Dockerfile"))
    final = _final_stage(parser)
    instructions = {ins["instruction"] for ins in final}
    assert final[0]["value"].endswith("-slim")
    users = [ins["value"] for ins in final if ins["instruction"] == "USER"]
    assert users and users[-1] not in {"root", "0"}
    assert "HEALTHCHECK" in instructions and "/health" in next(
        ins["value"] for ins in final if ins["instruction"] == "HEALTHCHECK")
    assert not any(ins["instruction"] == "ADD" and "://" in ins["value"] for ins in final)
    assert (REPO_ROOT / ".dockerignore").read_text().count(".venv") == 1


@pytest.mark.skipif(shutil.which("promtool") is None, reason="promtool: apt-get install prometheus")
def test_prometheus_config_is_valid() -> None:
    done = subprocess.run(["promtool", "check", "config", "--syntax-only",
                           str(DEPLOY / "prometheus.yml")], capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr


@pytest.mark.skipif(shutil.which("nginx") is None, reason="nginx: apt-get install nginx-light")
def test_nginx_config_is_valid(tmp_path: Path) -> None:
    """`nginx -t` on the shipped site, with a throwaway certificate and `web` on loopback."""
    certs = tmp_path / "certs"
    certs.mkdir()
    subprocess.run(["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
                    "-subj", "/CN=localhost", "-keyout", str(certs / "privkey.pem"),
                    "-out", str(certs / "fullchain.pem")], check=True, capture_output=True)
    site = (DEPLOY / "nginx" / "gpubroker.conf").read_text()
    site = site.replace("server web:8000", "server 127.0.0.1:8000")
    site = site.replace("/etc/nginx/certs", str(certs))
    site = re.sub(r"listen (80|443)\b", lambda m: f"listen 127.0.0.1:{int(m[1]) + 18000}", site)
    conf = tmp_path / "nginx.conf"
    conf.write_text(f"pid {tmp_path}/nginx.pid;\nerror_log {tmp_path}/error.log;\n"
                    f"events {{}}\nhttp {{\naccess_log off;\n{site}\n}}\n")
    done = subprocess.run(["nginx", "-t", "-c", str(conf), "-p", str(tmp_path)],
                          capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_grafana_is_provisioned_with_the_dashboard() -> None:
    provisioning = DEPLOY / "grafana" / "provisioning"
    datasource = yaml.safe_load((provisioning / "datasources" / "prometheus.yml").read_text())
    assert datasource["datasources"][0]["url"] == "http://prometheus:9090"
    dashboard = json.loads((DEPLOY / "grafana" / "dashboards" / "gpubroker.json").read_text())
    titles = " ".join(p["title"] for p in dashboard["panels"]).lower()
    for topic in ("sync duration", "sync failures", "offers per provider", "latency",
                  "error rate", "websocket", "alerts"):
        assert topic in titles, topic
