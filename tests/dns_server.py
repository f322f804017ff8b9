"""A tiny authoritative DNS server on loopback UDP for the domain verification tests.

It answers TXT questions from a dict the test fills, NXDOMAIN for anything else, and counts
the questions it was asked, so a test can tell a real lookup happened.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import dns.flags
import dns.message
import dns.rcode
import dns.rdatatype
import dns.rrset


class DnsServer:
    def __init__(self) -> None:
        self.txt: dict[str, list[str]] = {}
        self.questions: list[str] = []
        self._sock = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
        self._sock.bind(("127.0.0.1", 0))
        self._sock.settimeout(0.2)
        self.port = self._sock.getsockname()[1]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, name="test-dns", daemon=True)

    @property
    def address(self) -> str:
        return f"127.0.0.1:{self.port}"

    def publish(self, name: str, value: str) -> None:
        self.txt.setdefault(name.rstrip(".").lower(), []).append(value)

    def _answer(self, wire: bytes) -> bytes | None:
        try:
            query = dns.message.from_wire(wire)
        except Exception:  # a garbled packet gets no answer, as from a real server
            return None
        response = dns.message.make_response(query)
        response.flags |= dns.flags.AA
        question = query.question[0]
        name = question.name.to_text().rstrip(".").lower()
        self.questions.append(name)
        values = self.txt.get(name)
        if values and question.rdtype == dns.rdatatype.TXT:
            quoted = ['"' + v.replace('"', '\\"') + '"' for v in values]
            response.answer.append(dns.rrset.from_text(question.name, 60, "IN", "TXT", *quoted))
        elif not values:
            response.set_rcode(dns.rcode.NXDOMAIN)
        return response.to_wire()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                wire, peer = self._sock.recvfrom(4096)
            except TimeoutError:
                continue
            except OSError:
                return
            answer = self._answer(wire)
            if answer is not None:
                self._sock.sendto(answer, peer)

    def start(self) -> DnsServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self._stop.set()
        self._thread.join(timeout=2)
        self._sock.close()


@contextmanager
def running() -> Iterator[DnsServer]:
    server = DnsServer().start()
    try:
        yield server
    finally:
        server.stop()
