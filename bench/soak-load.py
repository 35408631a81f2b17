#!/usr/bin/env python3
"""Load generator and sampler for bench/soak (run by it; see bench/soak --help).

  soak     active clients at about one request a second each (mirror hits, misses of new URLs,
           denials, CONNECT tunnels with a TLS handshake and a GET inside) plus idle keep-alive
           connections; every 10 s one row: the proxy's RSS, heap after GC (a JVM), descriptors,
           threads, and the window's latency p50/p99/p999. Ends with PASS/FAIL lines.
  tunnels  as many CONNECT + TLS handshakes as the proxy takes for some seconds: tunnels/s.

Clients bind to many loopback source addresses (127.0.0.2 ...), as a hospital's PCs each have
their own, so no per-client connection limit of the proxy is reached. Latency is measured per
request from the first byte sent (or the connect, on a new connection) to the last byte read.
Standard library only (asyncio), so it runs wherever Python 3.8+ does.
"""

import argparse
import asyncio
import json
import os
import random
import re
import ssl
import sys
import time

WINDOW = 10.0
KINDS = ("hit", "miss", "deny", "tunnel", "idle")


def percentile(sorted_values, p):
    if not sorted_values:
        return float("nan")
    i = min(len(sorted_values) - 1, max(0, int(round(p * len(sorted_values) + 0.5)) - 1))
    return sorted_values[i]


class Failure(Exception):
    pass


async def read_response(reader, head_only=False):
    """Reads one HTTP/1.1 response; returns (status, headers dict, keep_alive)."""
    head = await reader.readuntil(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    parts = lines[0].split(" ", 2)
    if len(parts) < 2 or not parts[0].startswith("HTTP/"):
        raise Failure("bad status line %r" % lines[0][:60])
    status = int(parts[1])
    headers = {}
    for line in lines[1:]:
        if ":" in line:
            k, v = line.split(":", 1)
            headers[k.strip().lower()] = v.strip()
    keep_alive = "close" not in headers.get("connection", "").lower() and parts[0] == "HTTP/1.1"
    if head_only or status in (204, 304) or 100 <= status < 200:
        return status, headers, keep_alive
    if "content-length" in headers:
        await reader.readexactly(int(headers["content-length"]))
    elif "chunked" in headers.get("transfer-encoding", "").lower():
        while True:
            size_line = await reader.readuntil(b"\r\n")
            size = int(size_line.split(b";")[0].strip(), 16)
            if size == 0:
                await reader.readuntil(b"\r\n")  # no trailers expected
                break
            await reader.readexactly(size + 2)
    else:
        await reader.read()  # body to EOF
        keep_alive = False
    return status, headers, keep_alive


async def close_writer(writer):
    try:
        writer.close()
        await asyncio.wait_for(writer.wait_closed(), 2)
    except Exception:
        pass


class Stats:
    def __init__(self):
        self.window = []  # latencies (ms) in the current window, all kinds
        self.all = {k: [] for k in KINDS}
        # Requests started after the warm-up (the idle connections' ramp and the JIT's first
        # minute): the steady state the gateway spends its life in.
        self.steady = {k: [] for k in KINDS}
        self.steady_from = float("inf")
        self.ok = {k: 0 for k in KINDS}
        self.failed = {k: 0 for k in KINDS}
        self.reasons = {}
        self.idle_open = 0
        self.idle_closed_by_proxy = 0
        self.late = 0  # an active client's request started later than its schedule by > 1 s

    def done(self, kind, started):
        ms = (time.monotonic() - started) * 1000
        self.window.append(ms)
        self.all[kind].append(ms)
        if started >= self.steady_from:
            self.steady[kind].append(ms)
        self.ok[kind] += 1

    def fail(self, kind, why):
        self.failed[kind] += 1
        key = "%s: %s" % (kind, why)
        self.reasons[key] = self.reasons.get(key, 0) + 1


class Load:
    def __init__(self, args, stats):
        self.a = args
        self.stats = stats
        self.proxy_host, self.proxy_port = args.proxy.rsplit(":", 1)
        self.proxy_port = int(self.proxy_port)
        lo, hi = args.sources.split("-")
        base = lo.rsplit(".", 1)[0]
        self.sources = ["%s.%d" % (base, i) for i in range(int(lo.rsplit(".", 1)[1]), int(hi) + 1)]
        self.tls = ssl.create_default_context()
        self.tls.check_hostname = False
        self.tls.verify_mode = ssl.CERT_NONE
        self.miss_seq = 0
        self.stop = False
        self.run_id = "%x" % random.getrandbits(40)

    def source(self, i):
        return self.sources[i % len(self.sources)]

    async def connect(self, src):
        return await asyncio.open_connection(
            self.proxy_host, self.proxy_port, local_addr=(src, 0), limit=1 << 20
        )

    def request_bytes(self, kind):
        if kind == "hit":
            url = "http://%s/hit/%d.bin" % (self.a.origin, random.randrange(self.a.hits))
            host = self.a.origin
        elif kind == "miss":
            self.miss_seq += 1
            url = "http://%s/miss/%s-%d.bin" % (self.a.origin, self.run_id, self.miss_seq)
            host = self.a.origin
        else:  # deny: a host no allowlist entry names
            url = "http://%s/update/%d.cab" % (self.a.denied_host, random.randrange(1000))
            host = self.a.denied_host
        return ("GET %s HTTP/1.1\r\nHost: %s\r\nUser-Agent: soak\r\n\r\n" % (url, host)).encode()

    def expected(self, kind):
        return 403 if kind == "deny" else 200

    async def open_tunnel(self, reader, writer):
        """CONNECT to the TLS origin and the TLS handshake through the tunnel."""
        writer.write(
            ("CONNECT %s HTTP/1.1\r\nHost: %s\r\n\r\n" % (self.a.tls_origin, self.a.tls_origin)).encode()
        )
        status, _, _ = await read_response(reader, head_only=True)
        if status != 200:
            raise Failure("CONNECT answered %d" % status)
        await writer.start_tls(self.tls)

    async def tunnel_once(self, src):
        """CONNECT, TLS handshake with the origin through the tunnel, one GET inside, close."""
        reader, writer = await self.connect(src)
        try:
            await self.open_tunnel(reader, writer)
            writer.write(b"GET /tls.bin HTTP/1.1\r\nHost: tls-origin\r\nConnection: close\r\n\r\n")
            status, _, _ = await read_response(reader)
            if status != 200:
                raise Failure("GET in the tunnel answered %d" % status)
        finally:
            await close_writer(writer)

    async def handshake_once(self, src):
        """CONNECT and the TLS handshake only (the tunnels/s measure)."""
        reader, writer = await self.connect(src)
        try:
            await self.open_tunnel(reader, writer)
        finally:
            writer.transport.abort()

    async def active_client(self, i, start_at):
        """One PC: about one request a second on a keep-alive connection; tunnels on their own."""
        src = self.source(i)
        weights = [self.a.mix[k] for k in ("hit", "miss", "deny", "tunnel")]
        conn = None
        next_at = start_at
        while not self.stop:
            now = time.monotonic()
            if next_at > now:
                await asyncio.sleep(next_at - now)
            elif now - next_at > 1.0:
                self.stats.late += 1
            if self.stop:
                break
            # Exponential gaps (a Poisson process per client) around one a second.
            next_at = max(next_at, time.monotonic()) + random.expovariate(self.a.rate)
            kind = random.choices(("hit", "miss", "deny", "tunnel"), weights)[0]
            t0 = time.monotonic()
            try:
                if kind == "tunnel":
                    await asyncio.wait_for(self.tunnel_once(src), self.a.timeout)
                else:
                    if conn is None:
                        conn = await asyncio.wait_for(self.connect(src), self.a.timeout)
                    reader, writer = conn
                    writer.write(self.request_bytes(kind))
                    status, _, keep = await asyncio.wait_for(read_response(reader), self.a.timeout)
                    if status != self.expected(kind):
                        raise Failure("status %d" % status)
                    if not keep:
                        await close_writer(writer)
                        conn = None
                self.stats.done(kind, t0)
            except (Exception, asyncio.TimeoutError) as e:
                if self.stop:
                    break
                if conn is not None and kind != "tunnel":
                    # A keep-alive connection the proxy closed between requests (idle timeout)
                    # is retried once on a new connection, as a browser does.
                    if isinstance(e, (asyncio.IncompleteReadError, ConnectionResetError, BrokenPipeError)):
                        await close_writer(conn[1])
                        conn = None
                        try:
                            conn = await asyncio.wait_for(self.connect(src), self.a.timeout)
                            reader, writer = conn
                            writer.write(self.request_bytes(kind))
                            status, _, keep = await asyncio.wait_for(read_response(reader), self.a.timeout)
                            if status == self.expected(kind):
                                if not keep:
                                    await close_writer(writer)
                                    conn = None
                                self.stats.done(kind, t0)
                                continue
                            e = Failure("status %d after reconnect" % status)
                        except (Exception, asyncio.TimeoutError) as e2:
                            e = e2
                    if conn is not None:
                        await close_writer(conn[1])
                    conn = None
                self.stats.fail(kind, describe(e))
        if conn is not None:
            await close_writer(conn[1])

    async def idle_client(self, i, start_at):
        """An idle PC: one request, then a keep-alive connection that carries nothing; when the
        proxy closes it (its idle timeout), a new one after a few seconds."""
        src = self.source(i + 7)
        await asyncio.sleep(max(0, start_at - time.monotonic()))
        while not self.stop:
            t0 = time.monotonic()
            writer = None
            try:
                reader, writer = await asyncio.wait_for(self.connect(src), self.a.timeout)
                writer.write(self.request_bytes("hit"))
                status, _, keep = await asyncio.wait_for(read_response(reader), self.a.timeout)
                if status != 200:
                    raise Failure("status %d" % status)
                self.stats.done("idle", t0)
                if not keep:
                    raise Failure("not kept alive")
                self.stats.idle_open += 1
                try:
                    await reader.read(1)  # until the proxy closes it, or the run ends
                finally:
                    self.stats.idle_open -= 1
                if self.stop:
                    break
                self.stats.idle_closed_by_proxy += 1
            except asyncio.CancelledError:
                raise
            except (Exception, asyncio.TimeoutError) as e:
                if self.stop:
                    break
                self.stats.fail("idle", describe(e))
            finally:
                if writer is not None:
                    writer.transport.abort()
            await asyncio.sleep(random.uniform(1, 5))


def describe(e):
    if isinstance(e, asyncio.TimeoutError):
        return "timeout"
    if isinstance(e, asyncio.IncompleteReadError):
        return "connection closed mid-response"
    text = str(e) or type(e).__name__
    return re.sub(r"\d+\.\d+\.\d+\.\d+:\d+|\(\d+\)|\d{4,}", "#", text)[:80]


def proc_sample(pid):
    status = {}
    with open("/proc/%d/status" % pid) as f:
        for line in f:
            k, _, v = line.partition(":")
            status[k] = v.strip()
    rss_mib = int(status["VmRSS"].split()[0]) / 1024
    threads = int(status["Threads"])
    fds = len(os.listdir("/proc/%d/fd" % pid))
    return rss_mib, fds, threads


def cpu_seconds(pid):
    """User + system CPU time of a process so far (its threads included)."""
    with open("/proc/%d/stat" % pid) as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


async def heap_after_gc_mib(pid, cmdfile):
    """A full GC, then the heap in use (jcmd; one JVM start for both commands)."""
    proc = await asyncio.create_subprocess_exec(
        "jcmd", str(pid), "-f", cmdfile, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.DEVNULL
    )
    out, _ = await proc.communicate()
    # G1: "garbage-first heap total ..K, used ..K"; Serial and Parallel: one line per generation.
    used = re.findall(rb"(?:heap|generation|PSYoungGen|ParOldGen)\s+total \d+K, used (\d+)K", out)
    return sum(int(u) for u in used) / 1024 if used else float("nan")


async def soak(args):
    stats = Stats()
    load = Load(args, stats)
    rows = []
    cmdfile = os.path.join(args.out, "jcmd-commands")
    with open(cmdfile, "w") as f:
        f.write("GC.run\nGC.heap_info\n")
    t_start = time.monotonic()
    stats.steady_from = t_start + args.warmup
    tasks = []
    # Idle connections first, spread over the ramp; the active clients start after a few seconds.
    for i in range(args.idle):
        tasks.append(asyncio.ensure_future(load.idle_client(i, t_start + args.ramp * i / max(1, args.idle))))
    for i in range(args.active):
        tasks.append(
            asyncio.ensure_future(load.active_client(i, t_start + 2 + random.uniform(0, 1 / args.rate)))
        )
    header = ("| t (s) | RSS MiB | heap after GC MiB | descriptors | threads | idle conns | requests"
              " | failed | p50 ms | p99 ms | p999 ms | CPU % proxy / load generator |")
    print(header, flush=True)
    print("|" + "---|" * 12, flush=True)
    cpu_mark = (time.monotonic(), cpu_seconds(args.pid), cpu_seconds(os.getpid()))
    ticks = int(args.seconds // WINDOW)
    for n in range(1, ticks + 1):
        await asyncio.sleep(max(0, t_start + n * WINDOW - time.monotonic()))
        window = sorted(stats.window)
        stats.window = []
        failed_total = sum(stats.failed.values())
        try:
            rss, fds, threads = proc_sample(args.pid)
        except OSError:
            print("the proxy (pid %d) is gone" % args.pid, flush=True)
            stats.fail("hit", "proxy process gone")
            break
        now = (time.monotonic(), cpu_seconds(args.pid), cpu_seconds(os.getpid()))
        cpu_proxy = 100 * (now[1] - cpu_mark[1]) / (now[0] - cpu_mark[0])
        cpu_load = 100 * (now[2] - cpu_mark[2]) / (now[0] - cpu_mark[0])
        sample_heap = args.jvm and (n * WINDOW) % args.gc_every < WINDOW
        heap = await heap_after_gc_mib(args.pid, cmdfile) if sample_heap else float("nan")
        # jcmd's own CPU (a JVM start) is not the proxy's, and the next window starts after it.
        cpu_mark = (time.monotonic(), cpu_seconds(args.pid), cpu_seconds(os.getpid()))
        row = {
            "t": round(time.monotonic() - t_start),
            "rss": rss,
            "heap": heap,
            "fds": fds,
            "threads": threads,
            "idle": stats.idle_open,
            "requests": len(window),
            "failed": failed_total,
            "p50": percentile(window, 0.50),
            "p99": percentile(window, 0.99),
            "p999": percentile(window, 0.999),
            "cpu_proxy": cpu_proxy,
            "cpu_load": cpu_load,
        }
        rows.append(row)
        print(
            "| %d | %.0f | %s | %d | %d | %d | %d | %d | %.1f | %.1f | %.1f | %.0f / %.0f |"
            % (
                row["t"], rss, "—" if heap != heap else "%.0f" % heap, fds, threads, row["idle"],
                row["requests"], failed_total, row["p50"], row["p99"], row["p999"], cpu_proxy, cpu_load,
            ),
            flush=True,
        )
    if args.diag and args.jvm:
        # While the connections are still open: where the memory is (needs
        # -XX:NativeMemoryTracking=summary for the first).
        for cmd, name in (("VM.native_memory summary", "nmt.txt"), ("GC.class_histogram", "histogram.txt")):
            proc = await asyncio.create_subprocess_exec(
                "jcmd", str(args.pid), *cmd.split(), stdout=asyncio.subprocess.PIPE,
                stderr=asyncio.subprocess.STDOUT)
            out, _ = await proc.communicate()
            with open(os.path.join(args.out, name), "wb") as f:
                f.write(out)
        with open("/proc/%d/smaps_rollup" % args.pid) as src, open(os.path.join(args.out, "smaps_rollup.txt"), "w") as dst:
            dst.write(src.read())
    load.stop = True
    for t in tasks:
        t.cancel()
    await asyncio.gather(*tasks, return_exceptions=True)
    summary = summarise(args, stats, rows)
    with open(os.path.join(args.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=1)
    with open(os.path.join(args.out, "rows.json"), "w") as f:
        json.dump(rows, f)
    for line in summary["verdicts"]:
        print(line, flush=True)
    print("RESULT: " + ("PASS" if summary["pass"] else "FAIL"), flush=True)


def median(values):
    v = sorted(x for x in values if x == x)
    return v[len(v) // 2] if v else float("nan")


def summarise(args, stats, rows):
    per_kind = {}
    for k in KINDS:
        v = sorted(stats.all[k])
        w = sorted(stats.steady[k])
        per_kind[k] = {
            "ok": stats.ok[k],
            "failed": stats.failed[k],
            "p50": percentile(v, 0.5),
            "p99": percentile(v, 0.99),
            "p999": percentile(v, 0.999),
            "steady_count": len(w),
            "steady_p50": percentile(w, 0.5),
            "steady_p99": percentile(w, 0.99),
            "steady_p999": percentile(w, 0.999),
        }
    every = sorted(x for k in KINDS if k != "idle" for x in stats.all[k])
    steady = sorted(x for k in KINDS if k != "idle" for x in stats.steady[k])
    third = len(rows) // 3
    middle, last = rows[third : 2 * third], rows[2 * third :]
    verdicts = []
    ok = True

    def check(good, text):
        nonlocal ok
        ok = ok and good
        verdicts.append(("PASS  " if good else "FAIL  ") + text)

    failed = sum(stats.failed.values())
    check(failed == 0, "nothing fails: %d requests, %d failed%s" % (
        sum(stats.ok.values()) + failed, failed,
        "" if not stats.reasons else " (" + "; ".join("%s x%d" % kv for kv in sorted(stats.reasons.items())) + ")"))
    expected = args.active * args.rate * (rows[-1]["t"] - 2) if rows else 0
    done = sum(stats.ok[k] + stats.failed[k] for k in KINDS if k != "idle")
    check(done >= 0.9 * expected, "offered load carried: %d active requests of about %d scheduled (%d started over 1 s late)"
          % (done, expected, stats.late))
    stats_ok = len(rows) >= 3
    fd_mid, fd_last = median(r["fds"] for r in middle), median(r["fds"] for r in last)
    check(stats_ok and fd_last <= fd_mid * (1 + args.fd_tolerance),
          "descriptors flat: median %s in the last third vs %s in the middle third (tolerance %d%%)"
          % (fd_last, fd_mid, round(args.fd_tolerance * 100)))
    if args.jvm:
        h_mid, h_last = median(r["heap"] for r in middle), median(r["heap"] for r in last)
        check(stats_ok and h_last <= h_mid * (1 + args.heap_tolerance) + 2,
              "heap after GC flat: median %.1f MiB in the last third vs %.1f MiB in the middle third (tolerance %d%% + 2 MiB)"
              % (h_last, h_mid, round(args.heap_tolerance * 100)))
    peak_rss = max((r["rss"] for r in rows), default=float("nan"))
    if args.rss_bound:
        check(peak_rss <= args.rss_bound, "RSS within %d MiB: peak %.0f MiB" % (args.rss_bound, peak_rss))
    else:
        verdicts.append("info  peak RSS %.0f MiB" % peak_rss)
    return {
        "pass": ok,
        "verdicts": verdicts,
        "per_kind": per_kind,
        "requests": len(every),
        "p50": percentile(every, 0.5),
        "p99": percentile(every, 0.99),
        "p999": percentile(every, 0.999),
        "steady_p50": percentile(steady, 0.5),
        "steady_p99": percentile(steady, 0.99),
        "steady_p999": percentile(steady, 0.999),
        "failed": failed,
        "reasons": stats.reasons,
        "idle_closed_by_proxy": stats.idle_closed_by_proxy,
        "peak_rss": peak_rss,
        "rss_last": rows[-1]["rss"] if rows else None,
        "heap_max": max((r["heap"] for r in rows if r["heap"] == r["heap"]), default=None),
        "heap_mid": median(r["heap"] for r in middle) if args.jvm else None,
        "heap_last": median(r["heap"] for r in last) if args.jvm else None,
        "fds_mid": fd_mid,
        "fds_last": fd_last,
        "threads_max": max((r["threads"] for r in rows), default=None),
        "late": stats.late,
        "scheduled": expected,
    }


async def tunnels(args):
    stats = Stats()
    load = Load(args, stats)
    deadline = time.monotonic() + args.seconds

    async def worker(i):
        while time.monotonic() < deadline:
            try:
                await asyncio.wait_for(load.handshake_once(load.source(i)), args.timeout)
                stats.ok["tunnel"] += 1
            except (Exception, asyncio.TimeoutError) as e:
                stats.fail("tunnel", describe(e))

    t0 = time.monotonic()
    await asyncio.gather(*(worker(i) for i in range(args.concurrency)))
    elapsed = time.monotonic() - t0
    print(json.dumps({
        "tunnels_per_s": stats.ok["tunnel"] / elapsed,
        "ok": stats.ok["tunnel"],
        "failed": stats.failed["tunnel"],
        "reasons": stats.reasons,
    }))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=("soak", "tunnels"))
    p.add_argument("--proxy", required=True, help="host:port of the proxy")
    p.add_argument("--origin", default="127.0.0.1:18280", help="plain HTTP origin (host:port)")
    p.add_argument("--tls-origin", default="127.0.0.1:18443", help="TLS origin for CONNECT")
    p.add_argument("--denied-host", default="updates.not-listed.example")
    p.add_argument("--sources", default="127.0.0.2-250", help="source addresses, e.g. 127.0.0.2-250")
    p.add_argument("--seconds", type=float, default=600)
    p.add_argument("--active", type=int, default=1000)
    p.add_argument("--idle", type=int, default=10000)
    p.add_argument("--rate", type=float, default=1.0, help="requests per second per active client")
    p.add_argument("--mix", default="hit=65,miss=5,deny=20,tunnel=10")
    p.add_argument("--hits", type=int, default=100, help="stored objects /hit/0.bin ... to ask for")
    p.add_argument("--ramp", type=float, default=60, help="seconds over which idle connections open")
    p.add_argument("--warmup", type=float, default=60,
                   help="seconds after which a request counts in the steady-state percentiles")
    p.add_argument("--timeout", type=float, default=30)
    p.add_argument("--pid", type=int, help="the proxy's process, sampled every 10 s")
    p.add_argument("--jvm", action="store_true", help="the proxy is a JVM: sample heap after GC")
    p.add_argument("--gc-every", type=float, default=60,
                   help="seconds between heap-after-GC samples (each forces a full GC: jcmd GC.run)")
    p.add_argument("--rss-bound", type=float, default=0, help="MiB; 0: report only")
    p.add_argument("--fd-tolerance", type=float, default=0.02)
    p.add_argument("--heap-tolerance", type=float, default=0.10)
    p.add_argument("--concurrency", type=int, default=32, help="tunnels: handshakes in flight")
    p.add_argument("--diag", action="store_true", help="at the end: NMT summary, class histogram")
    p.add_argument("--out", default=".")
    args = p.parse_args()
    args.mix = {k: float(v) for k, v in (kv.split("=") for kv in args.mix.split(","))}
    if args.mode == "soak":
        if not args.pid:
            p.error("soak needs --pid")
        asyncio.run(soak(args))
    else:
        asyncio.run(tunnels(args))


if __name__ == "__main__":
    sys.exit(main())
