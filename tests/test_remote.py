"""The raw data on a cloud remote, end to end, as the README's "DVC remote" section says: push data/raw
to S3, then restore it into a fresh clone whose DVC cache is empty. The S3 server is moto's server
mode (the locked `dev` group) on 127.0.0.1; credentials live only in the environment."""

from __future__ import annotations

import hashlib
import os
import subprocess
import urllib.error
import urllib.request
from pathlib import Path

import boto3
import pytest
from conftest import BIN, CLONE_FOLDER, ROOT, run
from slurm_cluster import free_ports, wait_until_gone

# Slow as well: `make check` stays without servers.
pytestmark = [pytest.mark.cluster, pytest.mark.slow]

BUCKET = "biomedimg-data"


@pytest.fixture
def s3(tmp_path):
    """moto's S3 server on a free port of 127.0.0.1, stopped by its PID at the end."""
    port = free_ports(1)[0]
    url = f"http://127.0.0.1:{port}"
    log = tmp_path / "moto.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [str(BIN / "moto_server"), "-H", "127.0.0.1", "-p", str(port)],
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    env = {
        **os.environ,
        "AWS_ACCESS_KEY_ID": "test-key-id",
        "AWS_SECRET_ACCESS_KEY": "test-secret-key",
        "AWS_DEFAULT_REGION": "us-east-1",
        # Never the user's own AWS configuration, and never a proxy for 127.0.0.1.
        "AWS_CONFIG_FILE": str(tmp_path / "no-aws-config"),
        "AWS_SHARED_CREDENTIALS_FILE": str(tmp_path / "no-aws-credentials"),
        "NO_PROXY": "127.0.0.1",
        "no_proxy": "127.0.0.1",
    }
    try:
        while True:  # wait for the server to answer (or to have died)
            if server.poll() is not None:
                pytest.fail(f"moto_server exited ({server.returncode}):\n{log.read_text()}")
            try:
                urllib.request.urlopen(url, timeout=5).close()
                break
            except (urllib.error.URLError, ConnectionError):
                pass
        yield url, env
    finally:
        server.terminate()
        server.wait(timeout=60)
        assert wait_until_gone(server.pid), f"moto_server (PID {server.pid}) still running"


def md5s(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.md5(p.read_bytes()).hexdigest() for p in sorted(folder.iterdir()) if p.is_file()}


def test_push_to_s3_and_restore_into_a_fresh_clone_with_an_empty_cache(s3, tmp_path):
    url, env = s3
    boto3.client(
        "s3",
        endpoint_url=url,
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
        region_name="us-east-1",
    ).create_bucket(Bucket=BUCKET)

    def dvc(cwd: Path, *args: str) -> str:
        result = run([str(BIN / "dvc"), *args], cwd, env=env)
        return result.stdout + result.stderr

    def git(cwd: Path, *args: str) -> str:
        return run(["git", *args], cwd, env=env).stdout

    # The maintainer's checkout: data/raw as recorded in data/raw.dvc (restored from the embedded remote).
    home = tmp_path / CLONE_FOLDER
    source = home / "maintainer"
    home.mkdir()
    git(home, "clone", "--quiet", str(ROOT), str(source))
    dvc(source, "pull", "--remote", "embedded", "data/raw.dvc")
    # README: the remote is committed; where this test's server listens is this machine's business.
    dvc(source, "remote", "add", "--default", "s3", f"s3://{BUCKET}/biomedimg")
    dvc(source, "remote", "modify", "--local", "s3", "endpointurl", url)
    git(
        source,
        "-c",
        "user.name=t",
        "-c",
        "user.email=t@example.org",
        "commit",
        "-qm",
        "S3 remote",
        ".dvc/config",
    )
    pushed = dvc(source, "push", "data/raw.dvc")
    raw = md5s(source / "data" / "raw")
    # Every file, and the directory's manifest (one more object).
    assert len(raw) > 10 and f"{len(raw) + 1} files pushed" in pushed, pushed

    # A collaborator: a fresh clone, no DVC cache, the endpoint in DVC's local config, the keys in the
    # environment.
    clone = home / "collaborator"
    git(home, "clone", "--quiet", str(source), str(clone))
    assert not (clone / "data" / "raw").exists() and not (clone / ".dvc" / "cache").exists()
    dvc(clone, "remote", "modify", "--local", "s3", "endpointurl", url)
    dvc(clone, "pull", "data/raw.dvc")
    assert md5s(clone / "data" / "raw") == raw
    assert "Cache and remote 's3' are in sync" in dvc(clone, "status", "--cloud", "data/raw.dvc")

    # No credential or machine-specific address is committed: only DVC's local config (git-ignored)
    # holds the endpoint, and the keys were never written to a file of the project.
    committed = git(source, "show", "HEAD:.dvc/config")
    assert f"s3://{BUCKET}/biomedimg" in committed and url not in committed
    git(clone, "check-ignore", "--quiet", ".dvc/config.local")
    for checkout in (source, clone):
        for path in (checkout / ".dvc").rglob("config*"):
            assert env["AWS_SECRET_ACCESS_KEY"] not in path.read_text(encoding="utf-8")
