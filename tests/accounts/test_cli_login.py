"""`gpubroker login` against a real running server: the token lands in the config
directory with mode 0600 and `whoami` uses it."""

from __future__ import annotations

import io
import stat
from pathlib import Path
from typing import Any

import pytest

from accounts.models import ApiToken, User
from gpubroker import account
from tests.accounts.conftest import PASSWORD, make_user

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def config_dir(tmp_path: Path, monkeypatch: Any) -> Path:
    monkeypatch.setenv("GPUBROKER_CONFIG_DIR", str(tmp_path / "config"))
    return tmp_path / "config"


def test_login_stores_a_read_token_that_whoami_uses(live_server: Any, config_dir: Path,
                                                    monkeypatch: Any, capsys: Any) -> None:
    user: User = make_user()
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    code = account.login(["--server", live_server.url, "--email", user.email,
                          "--password-stdin", "--name", "laptop"])
    assert code == 0, capsys.readouterr().err
    path = config_dir / "credentials.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    row = ApiToken.objects.get(user=user)
    assert row.name == "laptop" and row.scopes == ["read"]
    assert account.whoami([]) == 0
    assert f"{user.email} on {live_server.url}" in capsys.readouterr().out
    assert account.logout([]) == 0 and not path.exists()
    assert account.whoami([]) == 1


def test_a_wrong_password_says_so(live_server: Any, config_dir: Path, monkeypatch: Any,
                                  capsys: Any) -> None:
    make_user()
    monkeypatch.setattr("sys.stdin", io.StringIO("not the password 1\n"))
    assert account.login(["--server", live_server.url, "--email", "ada@example.com",
                          "--password-stdin"]) == 1
    assert "Invalid e-mail or password" in capsys.readouterr().err
    assert not (config_dir / "credentials.json").exists()
