"""SIGTERM `mkdocs serve` once it serves: no briefing-pages-* folder is left behind."""

import signal
import socket
import subprocess
import time
from pathlib import Path

from attackkit import command, environment


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def check(project: Path) -> None:
    env = environment(project)
    temp = Path(env["TMPDIR"])
    args = command("mkdocs", ["serve", "-a", f"127.0.0.1:{free_port()}", "--no-livereload"])
    serve = subprocess.Popen(args, cwd=project, env=env, stdout=subprocess.PIPE,
                             stderr=subprocess.STDOUT, text=True)
    seen = ""
    try:
        deadline = time.monotonic() + 90
        assert serve.stdout is not None
        while time.monotonic() < deadline and "Serving on" not in seen:
            line = serve.stdout.readline()
            if not line:
                break
            seen += line
        assert "Serving on" in seen, seen[-300:]
    finally:
        serve.send_signal(signal.SIGTERM)
        try:
            serve.wait(timeout=20)
        except subprocess.TimeoutExpired:
            serve.kill()
            serve.wait()
    assert "Traceback" not in seen
    left = sorted(p.name for p in temp.glob("briefing-pages-*"))
    assert left == [], f"left behind in TMPDIR: {left}"
