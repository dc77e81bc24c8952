"""A real Synapse homeserver for the Matrix tests: SQLite, 127.0.0.1 only, no federation,
accounts registered through the shared-secret admin API."""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

SERVER_NAME = "pnbot.test"
SHARED_SECRET = "pnbot-test-registration-secret"
START_TIMEOUT = 60.0  # seconds to wait for the homeserver to answer


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def config(home: Path, port: int) -> str:
    """homeserver.yaml: bound to 127.0.0.1, SQLite, federation and key servers off."""
    unlimited = {"per_second": 1000, "burst_count": 1000}
    settings = {
        "server_name": SERVER_NAME,
        "pid_file": str(home / "homeserver.pid"),
        "listeners": [
            {
                "port": port,
                "bind_addresses": ["127.0.0.1"],
                "type": "http",
                "tls": False,
                "x_forwarded": False,
                "resources": [{"names": ["client"], "compress": False}],
            }
        ],
        "database": {"name": "sqlite3", "args": {"database": str(home / "homeserver.db")}},
        "log_config": str(home / "log.yaml"),
        "media_store_path": str(home / "media"),
        "signing_key_path": str(home / "signing.key"),
        "registration_shared_secret": SHARED_SECRET,
        "enable_registration": False,
        "report_stats": False,
        "trusted_key_servers": [],
        "federation_domain_whitelist": [],
        "suppress_key_server_warning": True,
        "presence": {"enabled": False},
        "enable_metrics": False,
        # Synapse answers a repeated sync request from a cache for two minutes by default; each
        # test starts new clients whose requests repeat the last test's, and must see the present.
        "caches": {"sync_response_cache_duration": 0},
        "rc_message": unlimited,
        "rc_registration": unlimited,
        "rc_login": {"address": unlimited, "account": unlimited, "failed_attempts": unlimited},
        "rc_joins": {"local": unlimited, "remote": unlimited},
        "rc_joins_per_room": unlimited,
        "rc_invites": {"per_room": unlimited, "per_user": unlimited, "per_issuer": unlimited},
        "rc_admin_redaction": unlimited,
        "rc_3pid_validation": unlimited,
        "rc_delayed_event_mgmt": unlimited,
        "rc_room_creation": unlimited,
        "rc_profile": unlimited,
        "rc_presence": {"per_user": unlimited},
        "rc_reports": unlimited,
        "rc_key_requests": unlimited,
        "rc_user_directory": unlimited,
    }
    return json.dumps(settings, indent=2)  # JSON is YAML


LOG_CONFIG = """\
version: 1
formatters:
  plain: {format: '%(asctime)s %(levelname)s %(name)s: %(message)s'}
handlers:
  file: {class: logging.FileHandler, filename: LOGFILE, formatter: plain}
root: {level: WARNING, handlers: [file]}
disable_existing_loggers: false
"""


@dataclass
class Account:
    user_id: str
    access_token: str
    password: str


class Homeserver:
    """One running Synapse process; `url` is its client API."""

    def __init__(self, home: Path):
        self.home = home
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self) -> None:
        self.home.mkdir(parents=True, exist_ok=True)
        (self.home / "media").mkdir(exist_ok=True)
        (self.home / "log.yaml").write_text(
            LOG_CONFIG.replace("LOGFILE", str(self.home / "homeserver.log"))
        )
        path = self.home / "homeserver.yaml"
        path.write_text(config(self.home, self.port))
        base = [sys.executable, "-m", "synapse.app.homeserver", "--config-path", str(path)]
        subprocess.run(
            [*base, "--generate-keys"], check=True, capture_output=True, cwd=self.home, timeout=60
        )
        self.stderr = open(self.home / "stderr.log", "wb")  # noqa: SIM115 (closed in stop)
        self.process = subprocess.Popen(
            base, cwd=self.home, stdout=self.stderr, stderr=subprocess.STDOUT
        )
        self._wait_until_up()

    def _wait_until_up(self) -> None:
        deadline = time.monotonic() + START_TIMEOUT
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"Synapse exited: {self.log_tail()}")
            try:
                with urllib.request.urlopen(f"{self.url}/_matrix/client/versions", timeout=2):
                    return
            except OSError:
                time.sleep(0.1)  # polling the homeserver's port, not the bot's scheduler
        raise RuntimeError(f"Synapse did not answer in {START_TIMEOUT:.0f} s: {self.log_tail()}")

    def log_tail(self) -> str:
        logs = [self.home / "stderr.log", self.home / "homeserver.log"]
        text = "".join(p.read_text(errors="replace") for p in logs if p.exists())
        return text[-3000:]

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
        if getattr(self, "stderr", None):
            self.stderr.close()

    def _request(self, method: str, path: str, body: dict | None = None, token: str | None = None):
        request = urllib.request.Request(
            self.url + path,
            method=method,
            data=json.dumps(body).encode() if body is not None else None,
            headers={"Content-Type": "application/json"}
            | ({"Authorization": f"Bearer {token}"} if token else {}),
        )
        with urllib.request.urlopen(request, timeout=30) as response:
            return json.loads(response.read() or b"{}")

    def register(self, localpart: str, admin: bool = False) -> Account:
        """A new account, through the shared-secret registration of the admin API."""
        path = "/_synapse/admin/v1/register"
        nonce = self._request("GET", path)["nonce"]
        password = f"pw-{localpart}-{os.urandom(4).hex()}"
        parts = [nonce, localpart, password, "admin" if admin else "notadmin"]
        mac = hmac.new(SHARED_SECRET.encode(), "\x00".join(parts).encode(), hashlib.sha1)
        answer = self._request(
            "POST",
            path,
            {
                "nonce": nonce,
                "username": localpart,
                "password": password,
                "admin": admin,
                "mac": mac.hexdigest(),
            },
        )
        return Account(answer["user_id"], answer["access_token"], password)
