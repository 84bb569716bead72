"""A one-node SLURM cluster on this machine for the tests marked `cluster` (Debian's slurmctld, slurmd and
munge, which `make test-setup` installs): every daemon on 127.0.0.1, all its state in one folder, every
daemon started by us in the foreground so that we hold its PID and stop it by that PID.

No accounting database (slurmdbd): the profile's status check must work without one (`squeue`, which
sees finished jobs for MinJobAge seconds), and the scheduler's own record of every finished job is the
job-completion log (jobcomp/filetxt) the tests read."""

from __future__ import annotations

import contextlib
import getpass
import os
import shutil
import signal
import socket
import subprocess
import time
from dataclasses import dataclass, field
from pathlib import Path

DAEMONS = ("munged", "slurmctld", "slurmd")
NODE = "localhost"


def free_ports(count: int) -> list[int]:
    """Ports free on 127.0.0.1 now (the daemons bind them a moment later)."""
    socks = []
    for _ in range(count):
        s = socket.socket()
        s.bind(("127.0.0.1", 0))
        socks.append(s)
    ports = [s.getsockname()[1] for s in socks]
    for s in socks:
        s.close()
    return ports


# The daemons are in /usr/sbin, which a user's PATH may lack.
SEARCH = os.pathsep.join([os.environ.get("PATH", ""), "/usr/sbin", "/sbin"])
PROGRAMS = (*DAEMONS, "sbatch", "squeue", "srun", "scontrol", "scancel", "sinfo", "cc")


def program(name: str) -> str | None:
    return shutil.which(name, path=SEARCH)


def missing_programs() -> list[str]:
    return [name for name in PROGRAMS if program(name) is None]


@dataclass
class Cluster:
    state: Path
    env: dict[str, str]
    processes: dict[str, subprocess.Popen] = field(default_factory=dict)

    @property
    def jobcomp(self) -> Path:
        return self.state / "jobcomp.txt"

    def finished_jobs(self) -> list[dict[str, str]]:
        """The scheduler's job-completion log: one `key=value …` line per finished job."""
        if not self.jobcomp.exists():
            return []
        jobs = []
        for line in self.jobcomp.read_text(encoding="utf-8").splitlines():
            jobs.append(dict(part.split("=", 1) for part in line.split() if "=" in part))
        return jobs

    def queue(self) -> str:
        """Every job slurmctld still knows (finished ones for MinJobAge seconds): id|name|state|comment."""
        return subprocess.run(
            ["squeue", "--states=all", "--noheader", "--format=%i|%j|%T|%k"],
            env=self.env,
            capture_output=True,
            text=True,
            check=True,
        ).stdout

    def logs(self) -> str:
        return "\n".join(
            f"--- {p.name}\n{p.read_text(encoding='utf-8', errors='replace')[-4000:]}"
            for p in sorted(self.state.glob("*.log"))
        )


def _config(state: Path, ctld_port: int, slurmd_port: int, srun_ports: tuple[int, int]) -> str:
    cpus = os.cpu_count() or 1
    user = getpass.getuser()  # root here; CI's user elsewhere (a one-user cluster needs no root)
    return f"""\
ClusterName=biomedimg
SlurmctldHost={NODE}(127.0.0.1)
SlurmctldPort={ctld_port}
SlurmdPort={slurmd_port}
SrunPortRange={srun_ports[0]}-{srun_ports[1]}
# Bind to 127.0.0.1 (NodeAddr, SlurmctldHost), never to every address.
CommunicationParameters=NoInAddrAny
SlurmUser={user}
SlurmdUser={user}
AuthType=auth/munge
AuthInfo=socket={state}/munge.socket
StateSaveLocation={state}/ctld
SlurmdSpoolDir={state}/spool
SlurmctldPidFile={state}/slurmctld.pid
SlurmdPidFile={state}/slurmd.pid
SlurmctldLogFile={state}/slurmctld.log
SlurmdLogFile={state}/slurmd.log
# No systemd and no cgroups here: Linux process tracking, no task confinement.
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc={state}/jobcomp.txt
# Finished jobs stay visible to squeue this long (the profile's status check relies on it).
MinJobAge=300
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
ReturnToService=2
MpiDefault=none
SlurmdParameters=config_overrides
# A default node: no RealMemory, so no job may ask for memory.
NodeName={NODE} NodeAddr=127.0.0.1 CPUs={cpus} State=UNKNOWN
PartitionName=main Nodes={NODE} Default=YES MaxTime=INFINITE State=UP
"""


def _wait_for(what: str, check, cluster: Cluster, timeout: float = 60) -> None:
    """Wait for a state (a daemon answering), with a generous bound that only a broken setup reaches."""
    deadline = time.monotonic() + timeout
    while not check():
        for name, proc in cluster.processes.items():
            if proc.poll() is not None:
                raise RuntimeError(f"{name} exited ({proc.returncode}) before {what}:\n{cluster.logs()}")
        if time.monotonic() > deadline:
            raise RuntimeError(f"no {what} after {timeout} s:\n{cluster.logs()}")
        time.sleep(0.2)


def _answers(cmd: list[str], env: dict[str, str], expect: str = "") -> bool:
    result = subprocess.run(cmd, env=env, capture_output=True, text=True, check=False)
    return result.returncode == 0 and expect in result.stdout


def _nothing_queued(env: dict[str, str]) -> bool:
    result = subprocess.run(
        ["squeue", "--noheader", "--states=PD,R,CG", "--format=%i"],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    return result.returncode == 0 and not result.stdout.strip()


def wait_until_gone(pid: int, timeout: float = 60) -> bool:
    """True once no process has this PID (the caller has reaped it with Popen.wait)."""
    deadline = time.monotonic() + timeout
    while Path(f"/proc/{pid}").exists():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.1)
    return True


def session(sid: int) -> list[int]:
    """The processes of a daemon's session (each daemon starts one): its helpers, such as slurmscriptd."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        with contextlib.suppress(OSError, IndexError, ValueError):
            if int(stat.read_text().rsplit(")", 1)[1].split()[3]) == sid:
                members.append(int(stat.parent.name))
    return members


@contextlib.contextmanager
def one_node_cluster(state: Path, base_env: dict[str, str]):
    """Start munged, slurmctld and slurmd; yield the Cluster (its `env` has SLURM_CONF); on the way out,
    cancel what is left, stop every daemon by its PID and check that each one is gone."""
    state.mkdir(parents=True, exist_ok=True)
    state.chmod(0o700)  # munged refuses a key or socket in a folder others can write to
    for sub in ("ctld", "spool"):
        (state / sub).mkdir(exist_ok=True)
    key = state / "munge.key"
    key.write_bytes(os.urandom(1024))
    key.chmod(0o400)
    ports = free_ports(4)
    shim = state / "bind_loopback.so"
    subprocess.run(
        [
            program("cc"),
            "-shared",
            "-fPIC",
            "-O2",
            "-o",
            str(shim),
            str(Path(__file__).with_name("bind_loopback.c")),
            "-ldl",
        ],
        check=True,
    )
    conf = state / "slurm.conf"
    conf.write_text(_config(state, ports[0], ports[1], (min(ports[2:]), max(ports[2:]))), encoding="utf-8")
    env = {**base_env, "SLURM_CONF": str(conf)}
    cluster = Cluster(state, env)
    logs = []
    starts = {
        "munged": [
            "munged",
            "--foreground",
            "--force",  # as root, with the state in a temporary folder
            f"--socket={state}/munge.socket",
            f"--key-file={key}",
            f"--pid-file={state}/munged.pid",
            f"--log-file={state}/munged.log",
            f"--seed-file={state}/munged.seed",
        ],
        "slurmctld": ["slurmctld", "-D", "-i", "-f", str(conf)],
        "slurmd": ["slurmd", "-D", "-N", NODE, "-f", str(conf)],
    }
    try:
        for name, cmd in starts.items():
            cmd[0] = program(cmd[0])
            logs.append((state / f"{name}.stdout.log").open("w"))
            cluster.processes[name] = subprocess.Popen(
                cmd,
                env={**env, "LD_PRELOAD": str(shim)} if name == "slurmctld" else env,
                stdout=logs[-1],
                stderr=subprocess.STDOUT,
                start_new_session=True,
            )
            if name == "munged":
                _wait_for("munge socket", (state / "munge.socket").exists, cluster)
            elif name == "slurmctld":
                _wait_for("slurmctld", lambda: _answers(["scontrol", "ping"], env, "UP"), cluster)
        _wait_for(
            "idle node",
            lambda: _answers(["sinfo", "--noheader", "--format=%T"], env, "idle"),
            cluster,
        )
        yield cluster
    finally:
        if "slurmctld" in cluster.processes and cluster.processes["slurmctld"].poll() is None:
            # Jobs a failed test left: cancelled, and gone from the node before slurmd stops.
            subprocess.run(
                ["scancel", "--full", f"--user={getpass.getuser()}"],
                env=env,
                capture_output=True,
                check=False,
            )
            with contextlib.suppress(RuntimeError):
                _wait_for("no job left", lambda: _nothing_queued(env), cluster)
        for name in reversed(list(cluster.processes)):
            proc = cluster.processes[name]
            if proc.poll() is None:
                proc.send_signal(signal.SIGTERM)
                try:
                    proc.wait(timeout=60)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait()
        for handle in logs:
            handle.close()
        left = [
            f"{name} (PID {p.pid})" for name, p in cluster.processes.items() if not wait_until_gone(p.pid)
        ]
        left += [
            f"PID {pid} of {name}'s session"
            for name, p in cluster.processes.items()
            for pid in session(p.pid)
            if not wait_until_gone(pid)
        ]
        assert not left, f"daemons still running after the cluster stopped: {', '.join(left)}"
