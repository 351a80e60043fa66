"""Starting a server pinned to one core and driving it with the client."""
import os
import signal
import socket
import subprocess
import tempfile
import time

SERVER_CPU = "0"
CLIENT_CPU = "1"


def free_port():
    """A loopback port that was free a moment ago (the kernel picked it)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def wait_listening(port, process, seconds=30):
    """Waits until the server accepts connections (valgrind starts slowly)."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited early with status {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"server did not listen on port {port} within {seconds} s")


class Run:
    """One server process: wrapper + server command + PORT MAX_REQUESTS.

    The server is pinned to SERVER_CPU; `wrapper` (valgrind, perf stat) goes
    in front. The connection made by wait_listening is counted by nobody: it
    is closed before any request, so it costs the same for every server."""

    def __init__(self, server, max_requests, wrapper=(), env=None):
        self.port = free_port()
        command = ["taskset", "-c", SERVER_CPU, *wrapper, *server.argv, str(self.port), str(max_requests)]
        self.stderr = tempfile.TemporaryFile()
        self.process = subprocess.Popen(command, env={**os.environ, **(env or {})},
                                        stdout=subprocess.DEVNULL, stderr=self.stderr)
        wait_listening(self.port, self.process)

    def drive(self, client, requests, connections=1):
        """Sends `requests` requests from the client pinned to CLIENT_CPU."""
        subprocess.run(["taskset", "-c", CLIENT_CPU, client, str(self.port), str(connections), str(requests)],
                       check=True, timeout=120)

    def wait(self, timeout=120):
        """Waits for the server to exit; returns (status, rusage)."""
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            pid, status, usage = os.wait4(self.process.pid, os.WNOHANG)
            if pid != 0:
                self.process.returncode = os.waitstatus_to_exitcode(status)
                if self.process.returncode != 0:
                    raise RuntimeError(f"exit status {self.process.returncode}: {self.messages()}")
                return self.process.returncode, usage
            time.sleep(0.01)
        self.stop()
        raise RuntimeError("server did not exit after its last request")

    def messages(self):
        """The last lines the server (or its wrapper) wrote to stderr."""
        self.stderr.seek(0)
        return " / ".join(self.stderr.read().decode(errors="replace").strip().splitlines()[-3:])

    def stop(self):
        """Ends a server that runs without a request limit (wrk runs)."""
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
