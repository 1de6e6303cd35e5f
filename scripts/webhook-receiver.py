#!/usr/bin/env python3
"""A webhook receiver on loopback for scripts/bench-http.sh (WEBHOOK=1): answers every POST
200 at once (HTTP/1.1 keep-alive, Content-Length bodies) and keeps, per delivery, the time it
arrived and the event's `occurred_at` (the time of the write that emitted it, a little before
its commit); a batched delivery (`{"data": [event, …]}`) counts each of its events.
GET /stats answers the count and the delay percentiles since GET /reset.
Usage: webhook-receiver.py PORT"""
import asyncio, json, re, sys, time
from datetime import datetime

STAMP = re.compile(rb'"sequence":\d+,"occurred_at":"([^"]+)"')

events = []  # (received at, occurred at), unix seconds


def occurred(body):
    i = body.find(b'"occurred_at":"')
    if i < 0:
        return None
    text = body[i + 15:body.index(b'"', i + 15)].decode()
    return datetime.fromisoformat(text.replace("Z", "+00:00")).timestamp()


def stats():
    if not events:
        return {"count": 0}
    delays = sorted(r - o for r, o in events if o is not None)
    pick = lambda p: round(delays[min(len(delays) - 1, int(len(delays) * p))] * 1000, 1)
    return {"count": len(events), "first": events[0][0], "last": events[-1][0],
            "p50_ms": pick(0.50), "p90_ms": pick(0.90), "p99_ms": pick(0.99),
            "max_ms": round(delays[-1] * 1000, 1)}


class Hook(asyncio.Protocol):
    def connection_made(self, transport):
        self.transport, self.buf = transport, b""

    def data_received(self, data):
        self.buf += data
        while True:
            end = self.buf.find(b"\r\n\r\n")
            if end < 0:
                return
            head = self.buf[:end].decode("latin-1")
            length = 0
            for line in head.split("\r\n")[1:]:
                name, _, value = line.partition(":")
                if name.strip().lower() == "content-length":
                    length = int(value)
            if len(self.buf) < end + 4 + length:
                return
            body = self.buf[end + 4:end + 4 + length]
            self.buf = self.buf[end + 4 + length:]
            path = head.split(" ", 2)[1]
            answer = b""
            if head.startswith("POST"):
                at = time.time()
                if body.startswith(b'{"data":['):
                    # Each envelope's own stamp (it follows its `sequence`), without parsing
                    # the whole batch: this receiver shares the server's cores.
                    for text in STAMP.findall(body):
                        stamp = datetime.fromisoformat(text.decode().replace("Z", "+00:00"))
                        events.append((at, stamp.timestamp()))
                else:
                    events.append((at, occurred(body)))
            elif path == "/stats":
                answer = json.dumps(stats()).encode()
            elif path == "/reset":
                events.clear()
            self.transport.write(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "
                                 + str(len(answer)).encode() + b"\r\n\r\n" + answer)


async def main():
    server = await asyncio.get_running_loop().create_server(Hook, "127.0.0.1", int(sys.argv[1]))
    async with server:
        await server.serve_forever()

asyncio.run(main())
