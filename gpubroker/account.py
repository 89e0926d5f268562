"""`gpubroker login | whoami | logout`: a personal API token for the CLI.

``login`` asks a GPUBroker server (``--server``, default ``GPUBROKER_SERVER`` or
http://127.0.0.1:8000) for a personal API token with your e-mail and password (and one-time
codes when MFA is on: one to log in, the next one to create the token) and stores it in
the user's config directory (``GPUBROKER_CONFIG_DIR`` overrides), file mode 0600.
"""

from __future__ import annotations

import argparse
import getpass
import json
import os
import socket
import sys
from pathlib import Path
from typing import Any

import httpx
import platformdirs

DEFAULT_SERVER = "http://127.0.0.1:8000"
TIMEOUT_S = 15.0


def credentials_path() -> Path:
    folder = os.environ.get("GPUBROKER_CONFIG_DIR") or platformdirs.user_config_dir("gpubroker")
    return Path(folder) / "credentials.json"


def credentials_save(*, server: str, token: str, email: str) -> Path:
    path = credentials_path()
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as handle:
        json.dump({"server": server, "token": token, "email": email}, handle)
    os.chmod(path, 0o600)  # also when the file existed with a looser mode
    return path


def credentials_load() -> dict[str, str] | None:
    path = credentials_path()
    return json.loads(path.read_text()) if path.is_file() else None


class LoginFailed(Exception):
    pass


def _post(client: httpx.Client, path: str, body: dict[str, Any], token: str | None = None
          ) -> httpx.Response:
    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return client.post(f"/api/v2/auth{path}", json=body, headers=headers)


def _detail(response: httpx.Response) -> str:
    try:
        return str(response.json().get("detail"))
    except ValueError:
        return f"HTTP {response.status_code}"


def _login(client: httpx.Client, email: str, password: str, ask_otp: Any) -> tuple[str, bool]:
    answer = _post(client, "/login", {"email": email, "password": password})
    mfa = answer.status_code == 401 and answer.json().get("code") == "mfa_required"
    if mfa:
        answer = _post(client, "/login", {"email": email, "password": password,
                                          "otp": ask_otp("one-time code: ")})
    if answer.status_code != 200:
        raise LoginFailed(_detail(answer))
    return str(answer.json()["access_token"]), mfa


def token_obtain(*, server: str, email: str, password: str, scopes: list[str], name: str,
                 ask_otp: Any) -> str:
    """Log in and create a personal token; the token."""
    with httpx.Client(base_url=server, timeout=TIMEOUT_S) as client:
        access, mfa = _login(client, email, password, ask_otp)
        body: dict[str, Any] = {"name": name, "scopes": scopes, "password": password}
        if mfa:
            body["otp"] = ask_otp("next one-time code (wait for a new one): ")
        answer = _post(client, "/tokens", body, token=access)
        if answer.status_code != 201:
            raise LoginFailed(_detail(answer))
        return str(answer.json()["token"])


def login(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="gpubroker login", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--server", default=os.environ.get("GPUBROKER_SERVER", DEFAULT_SERVER))
    parser.add_argument("--email", required=True)
    parser.add_argument("--write", action="store_true",
                        help="also allow writes (alerts, saved searches, provider keys)")
    parser.add_argument("--name", default=f"cli@{socket.gethostname()}",
                        help="the token's name in your token list")
    parser.add_argument("--password-stdin", action="store_true",
                        help="read the password from standard input (scripts)")
    args = parser.parse_args(argv)
    password = (sys.stdin.readline().rstrip("\n") if args.password_stdin
                else getpass.getpass("password: "))
    scopes = ["read", "write"] if args.write else ["read"]
    try:
        token = token_obtain(server=args.server.rstrip("/"), email=args.email,
                             password=password, scopes=scopes, name=args.name, ask_otp=input)
    except (LoginFailed, httpx.HTTPError) as exc:
        print(f"login failed: {exc}", file=sys.stderr)
        return 1
    path = credentials_save(server=args.server.rstrip("/"), token=token, email=args.email)
    print(f"logged in as {args.email} ({', '.join(scopes)}); token saved to {path}")
    return 0


def whoami(argv: list[str]) -> int:
    argparse.ArgumentParser(prog="gpubroker whoami",
                            description="Who the saved CLI token speaks for.").parse_args(argv)
    saved = credentials_load()
    if saved is None:
        print("not logged in: run `gpubroker login --email YOU`", file=sys.stderr)
        return 1
    answer = httpx.get(f"{saved['server']}/api/v2/auth/me", timeout=TIMEOUT_S,
                       headers={"Authorization": f"Bearer {saved['token']}"})
    if answer.status_code != 200:
        print(f"{saved['server']}: {_detail(answer)}", file=sys.stderr)
        return 1
    me = answer.json()
    print(f"{me['email']} on {saved['server']} — plan {me['plan']['name']}")
    return 0


def logout(argv: list[str]) -> int:
    argparse.ArgumentParser(prog="gpubroker logout",
                            description="Forget the saved CLI token.").parse_args(argv)
    path = credentials_path()
    path.unlink(missing_ok=True)
    print(f"removed {path} (revoke the token itself under your account's API tokens)")
    return 0
