#!/usr/bin/python3
"""The only way out of `make fresh-test`'s network namespace: to the package mirrors, and nowhere else.

    proxy.py serve  --unix PATH --allow HOST[,HOST...]   (on the host: an HTTP proxy on a unix socket)
    proxy.py bridge --listen PORT --unix PATH            (inside the namespace: 127.0.0.1:PORT -> the socket)

apt (http_proxy) and NuGet (https_proxy) inside the fresh root talk to 127.0.0.1:PORT of their own network namespace;
the bridge hands each connection to the host-side proxy through a unix socket in the fresh root's work directory.
The proxy accepts plain HTTP requests in absolute form and CONNECT tunnels, only to the allowed hosts (a name, or
".suffix" for a domain and its subdomains) on ports 80 and 443, and logs one line per connection.
"""
import argparse
import asyncio
import os
import sys
import time

MAX_HEADER = 64 * 1024


def log(msg):
    print(time.strftime("%H:%M:%S ") + msg, flush=True)


def allowed(host, allow):
    host = host.lower().rstrip(".")
    return any(host == a or (a.startswith(".") and (host.endswith(a) or host == a[1:])) for a in allow)


async def pipe(reader, writer):
    try:
        while True:
            data = await reader.read(65536)
            if not data:
                break
            writer.write(data)
            await writer.drain()
    except (ConnectionError, asyncio.CancelledError, OSError):
        pass
    finally:
        try:
            writer.close()
        except Exception:
            pass


async def refuse(writer, code, reason, detail):
    body = (detail + "\n").encode()
    writer.write(b"HTTP/1.1 %d %s\r\nContent-Type: text/plain\r\nContent-Length: %d\r\nConnection: close\r\n\r\n"
                 % (code, reason.encode(), len(body)) + body)
    try:
        await writer.drain()
    finally:
        writer.close()


async def handle(reader, writer, allow):
    try:
        head = await reader.readuntil(b"\r\n\r\n")
    except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
        writer.close()
        return
    lines = head.decode("latin-1").split("\r\n")
    try:
        method, target, version = lines[0].split(" ", 2)
    except ValueError:
        await refuse(writer, 400, "Bad Request", "not an HTTP request")
        return
    if method == "CONNECT":
        host, _, port = target.rpartition(":")
        port = int(port or 443)
        rest = b""
    else:
        if not target.startswith("http://"):
            await refuse(writer, 400, "Bad Request", "only absolute http:// URLs and CONNECT are proxied")
            return
        hostport, _, path = target[len("http://"):].partition("/")
        host, _, port = hostport.partition(":")
        port = int(port or 80)
        # forward in origin form; one request per connection keeps the relay simple
        headers = [h for h in lines[1:] if h and not h.lower().startswith(("proxy-connection:", "connection:"))]
        rest = ("%s /%s %s\r\n" % (method, path, version) + "\r\n".join(headers) +
                "\r\nConnection: close\r\n\r\n").encode("latin-1")
    host = host.strip("[]")
    if port not in (80, 443) or not allowed(host, allow):
        log("DENIED %s %s:%d (not a package mirror of this machine)" % (method, host, port))
        await refuse(writer, 403, "Forbidden", "fresh-test proxy: %s:%d is not an allowed package mirror" % (host, port))
        return
    try:
        up_reader, up_writer = await asyncio.wait_for(asyncio.open_connection(host, port), 30)
    except (OSError, asyncio.TimeoutError) as e:
        log("FAILED %s %s:%d: %s" % (method, host, port, e))
        await refuse(writer, 502, "Bad Gateway", "fresh-test proxy: cannot reach %s:%d" % (host, port))
        return
    log("%s %s:%d" % (method, host, port))
    if method == "CONNECT":
        writer.write(b"HTTP/1.1 200 Connection established\r\n\r\n")
        await writer.drain()
    else:
        up_writer.write(rest)
        await up_writer.drain()
    await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def bridge(reader, writer, path):
    try:
        up_reader, up_writer = await asyncio.open_unix_connection(path)
    except OSError:
        writer.close()
        return
    await asyncio.gather(pipe(reader, up_writer), pipe(up_reader, writer))


async def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("mode", choices=["serve", "bridge"])
    ap.add_argument("--unix", required=True)
    ap.add_argument("--allow", default="")
    ap.add_argument("--listen", type=int, default=3128)
    a = ap.parse_args()
    if a.mode == "serve":
        allow = [h.strip().lower() for h in a.allow.split(",") if h.strip()]
        if os.path.exists(a.unix):
            os.unlink(a.unix)
        server = await asyncio.start_unix_server(lambda r, w: handle(r, w, allow), a.unix, limit=MAX_HEADER)
        os.chmod(a.unix, 0o600)
        log("proxy on %s for %s" % (a.unix, ", ".join(allow)))
    else:
        server = await asyncio.start_server(lambda r, w: bridge(r, w, a.unix), "127.0.0.1", a.listen)
        log("bridge 127.0.0.1:%d -> %s" % (a.listen, a.unix))
    async with server:
        await server.serve_forever()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        sys.exit(0)
