#!/usr/bin/python3
"""A counting pass-through proxy in front of Keystone, on loopback, for the benchmark's clouds.yaml only.

    keystone_counter.py UPSTREAM_PORT   -> prints the port it listens on, then serves until stdin closes

Every request is forwarded unchanged to 127.0.0.1:UPSTREAM_PORT and counted by method and path; bodies and headers
(passwords, tokens) are neither logged nor stored. GET /__bench/counts answers the counts since the last reset as
JSON; GET /__bench/counts?reset=1 also resets them. One connection per request (Keystone here answers
"Connection: close" anyway).
"""
import http.client
import http.server
import json
import re
import sys
import threading

UPSTREAM = ("127.0.0.1", int(sys.argv[1]))
HOP = {"connection", "keep-alive", "proxy-authenticate", "proxy-authorization", "te", "trailers",
       "transfer-encoding", "upgrade", "host", "content-length"}
ID = re.compile(r"/[0-9a-f]{32}(?=/|$)")
lock = threading.Lock()
counts = {}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.0"

    def log_message(self, *args):
        pass

    def forward(self):
        if self.path.startswith("/__bench/counts"):
            with lock:
                body = json.dumps(counts, sort_keys=True).encode()
                if "reset=1" in self.path:
                    counts.clear()
            self.send_response(200)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
            return
        key = "%s %s" % (self.command, ID.sub("/{id}", self.path.split("?")[0]))
        with lock:
            counts[key] = counts.get(key, 0) + 1
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        headers = {k: v for k, v in self.headers.items() if k.lower() not in HOP}
        conn = http.client.HTTPConnection(*UPSTREAM, timeout=120)
        try:
            conn.request(self.command, self.path, body=body, headers=headers)
            resp = conn.getresponse()
            data = resp.read()
        finally:
            conn.close()
        self.send_response(resp.status, resp.reason)
        for k, v in resp.getheaders():
            if k.lower() not in HOP:
                self.send_header(k, v)
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(data)

    do_GET = do_POST = do_PUT = do_DELETE = do_PATCH = do_HEAD = forward


server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
server.daemon_threads = True
print(server.server_address[1], flush=True)
threading.Thread(target=server.serve_forever, daemon=True).start()
sys.stdin.read()  # the harness keeps stdin open; closing it (or the harness dying) stops the proxy
server.shutdown()
