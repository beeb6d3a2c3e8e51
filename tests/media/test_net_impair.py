"""The network impairment harness (tests/net_impair.py) does to UDP on lo what it says.

Plain sockets on 127.0.0.1 in the tests' private namespace. Delays are checked only
from below (a busy machine can make a packet later, never earlier than its delay).
"""

from __future__ import annotations

import socket
import subprocess
import time

import pytest

from net_impair import Impairment, NetImpair, NetImpairError

pytestmark = pytest.mark.slow


class Pair:
    """A UDP sender and receiver on 127.0.0.1; numbered datagrams."""

    def __init__(self) -> None:
        self.rx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.rx.bind(("127.0.0.1", 0))
        self.tx = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self.sent: dict[int, float] = {}

    def send(self, numbers: range) -> None:
        for n in numbers:
            self.sent[n] = time.monotonic()
            self.tx.sendto(n.to_bytes(4, "big"), self.rx.getsockname())

    def receive(self, quiet: float = 1.0) -> list[tuple[int, float]]:
        """What arrives until nothing has for ``quiet`` seconds: (number, delay in s)."""
        got = []
        self.rx.settimeout(quiet)
        try:
            while True:
                n = int.from_bytes(self.rx.recv(16), "big")
                got.append((n, time.monotonic() - self.sent[n]))
        except TimeoutError:
            return got

    def close(self) -> None:
        self.rx.close()
        self.tx.close()


def nfqueue_rules() -> list[str]:
    out = subprocess.run(["iptables", "-S", "OUTPUT"], capture_output=True, text=True, check=True)
    return [line for line in out.stdout.splitlines() if "NFQUEUE" in line]


def test_loss_is_random_but_partial_and_delay_holds_every_packet_in_order(
    net_impair: NetImpair,
) -> None:
    pair = Pair()
    try:
        net_impair.set(Impairment(loss=0.2, delay_ms=150, jitter_ms=20))
        pair.send(range(300))  # a burst: nothing waits on the receiver
        got = pair.receive()
    finally:
        pair.close()
    numbers = [n for n, _ in got]
    stats = net_impair.stats()
    assert stats["lost"] + stats["passed"] == stats["seen"] == 300
    assert 20 <= stats["lost"] <= 100  # 20 % of 300, seeded: 60 expected
    assert len(numbers) == stats["passed"]
    assert numbers == sorted(numbers)  # jitter never reorders
    assert min(delay for _, delay in got) >= 0.130  # 150 ms - 20 ms jitter, at least


def test_an_outage_blackholes_udp_until_it_ends_but_leaves_tcp_alone(
    net_impair: NetImpair,
) -> None:
    pair = Pair()
    server = socket.create_server(("127.0.0.1", 0))
    try:
        net_impair.outage(60)
        pair.send(range(0, 20))
        assert pair.receive(quiet=0.5) == []
        # TCP (the signalling WebSocket) is not impaired.
        with socket.create_connection(server.getsockname(), timeout=10) as client:
            peer, _ = server.accept()
            with peer:
                client.sendall(b"still here")
                assert peer.recv(16) == b"still here"
        net_impair.outage(0)  # the network comes back
        pair.send(range(20, 40))
        assert [n for n, _ in pair.receive()] == list(range(20, 40))
    finally:
        server.close()
        pair.close()
    assert net_impair.stats()["blackholed"] == 20


def test_the_rules_go_with_the_harness_and_it_refuses_a_shared_network(
    net_impair: NetImpair, monkeypatch: pytest.MonkeyPatch
) -> None:
    pair = Pair()
    try:
        net_impair.set(Impairment(loss=1.0))
        assert len(nfqueue_rules()) == 1
        pair.send(range(5))
        assert pair.receive(quiet=0.3) == []
        assert net_impair.stats()["lost"] == 5
        net_impair.stop()
        assert nfqueue_rules() == []
        pair.send(range(5, 10))  # unimpaired again
        assert [n for n, _ in pair.receive(quiet=0.3)] == list(range(5, 10))
    finally:
        pair.close()

    # A namespace with a real interface is the machine's network: hands off.
    monkeypatch.setattr(socket, "if_nameindex", lambda: [(1, "lo"), (2, "eth0")])
    with pytest.raises(NetImpairError, match="private network namespace"):
        NetImpair(Impairment(loss=1.0)).start()
    assert nfqueue_rules() == []
