#!/usr/bin/env python3
"""Side-by-side benchmark: Apache Kafka 4.3.1 vs Tidelog, driven by Kafka's own perf tools.

Both brokers run on loopback as single nodes with matching settings (1 GiB segments, no
per-message fsync, 1 GiB heap). For every configuration the brokers alternate, runs are repeated,
and the medians are reported together with the broker's CPU seconds per million records, read
from /proc/<pid>/stat before and after each client run.

    python3 perf/side-by-side/run.py                 # the full matrix, 3 runs each
    python3 perf/side-by-side/run.py --quick         # a 2-config smoke run, 1 run each

With --driver tidelog-perf, `tidelog perf` (our load tool, on our own clients) drives both
brokers instead, with the committed workload files; each run's JSON and HTML report is kept in
perf/side-by-side/target/reports/:

    python3 perf/side-by-side/run.py --driver tidelog-perf --runs 3
    python3 perf/side-by-side/run.py --driver tidelog-perf --runs 1 --duration 20s --warmup 5s  # short

Writes a Markdown table to stdout and (with --out) to a file. Every load is bounded by its record
count and a per-process timeout; only 127.0.0.1 is ever targeted.
"""
import argparse
import itertools
import os
import re
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
KAFKA_LIB = os.path.join(HERE, "target", "kafka-lib")
TIDELOG_JAR = os.environ.get("TIDELOG_JAR", os.path.join(ROOT, "tools", "target", "tidelog.jar"))
# Where `tidelog perf` runs from: the perf module's shaded jar holds the load tool and its clients
# (PERF_JAR may also be a whole classpath, e.g. target/classes directories).
PERF_JAR = os.environ.get("PERF_JAR", os.path.join(ROOT, "perf", "target", "tidelog-benchmarks.jar"))
PERF_MAIN = "io.tidelog.perf.load.PerfCommand"
REPORTS = os.path.join(HERE, "target", "reports")
DEFAULT_WORKLOADS = ["perf/workloads/oms-1topic-16partitions-1kb.properties", "perf/workloads/max-rate-100b.properties"]
CLK_TCK = os.sysconf("SC_CLK_TCK")
HEAP = ["-Xms1g", "-Xmx1g"]
CLIENT_TIMEOUT_S = 600


def sh(cmd, timeout=CLIENT_TIMEOUT_S, **kw):
    return subprocess.run(cmd, capture_output=True, text=True, timeout=timeout, **kw)


def ensure_perf_jar():
    if os.pathsep not in PERF_JAR and not os.path.isfile(PERF_JAR):
        print("building perf/target/tidelog-benchmarks.jar ...", file=sys.stderr)
        r = sh(["mvn", "-q", "-ntp", "-DskipTests", "-pl", "perf", "-am", "package"], timeout=1800, cwd=ROOT)
        if r.returncode != 0:
            sys.exit("could not build the perf jar: " + r.stdout + r.stderr)


def ensure_artifacts():
    if not os.path.isdir(KAFKA_LIB) or not os.listdir(KAFKA_LIB):
        print("resolving Apache Kafka 4.3.1 from Maven Central ...", file=sys.stderr)
        r = sh(["mvn", "-q", "-ntp", "-f", os.path.join(HERE, "kafka-peer-pom.xml"),
                "dependency:copy-dependencies", "-DoutputDirectory=target/kafka-lib"], timeout=1800)
        if r.returncode != 0:
            sys.exit("could not resolve Kafka: " + r.stdout + r.stderr)
    if not os.path.isfile(TIDELOG_JAR):
        print("building tools/target/tidelog.jar ...", file=sys.stderr)
        r = sh(["mvn", "-q", "-ntp", "-DskipTests", "-pl", "tools", "-am", "package"], timeout=1800, cwd=ROOT)
        if r.returncode != 0:
            sys.exit("could not build Tidelog: " + r.stdout + r.stderr)


def kafka_cp():
    return os.path.join(KAFKA_LIB, "*")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    # fields[0] is state (field 3); utime and stime are fields 14 and 15.
    return (int(fields[11]) + int(fields[12])) / CLK_TCK


def wait_for(predicate, timeout_s, what):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(0.2)
    raise RuntimeError(f"timed out waiting for {what}")


def port_open(port):
    import socket
    with socket.socket() as s:
        s.settimeout(0.5)
        return s.connect_ex(("127.0.0.1", port)) == 0


class Broker:
    name = "?"

    def __init__(self, port):
        self.port = port
        self.dir = tempfile.mkdtemp(prefix=f"sbs-{self.name}-")
        self.proc = None
        self.log = open(os.path.join(self.dir, "broker.log"), "w")

    @property
    def bootstrap(self):
        return f"127.0.0.1:{self.port}"

    def stop(self):
        if self.proc and self.proc.poll() is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                self.proc.wait(60)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
        self.log.close()
        shutil.rmtree(self.dir, ignore_errors=True)


class KafkaBroker(Broker):
    name = "kafka"

    def start(self):
        ctrl = self.port + 1
        props = os.path.join(self.dir, "server.properties")
        with open(props, "w") as f:
            f.write("\n".join([
                "process.roles=broker,controller", "node.id=1",
                f"controller.quorum.voters=1@127.0.0.1:{ctrl}",
                f"listeners=PLAINTEXT://127.0.0.1:{self.port},CONTROLLER://127.0.0.1:{ctrl}",
                f"advertised.listeners=PLAINTEXT://127.0.0.1:{self.port}",
                "controller.listener.names=CONTROLLER",
                "listener.security.protocol.map=PLAINTEXT:PLAINTEXT,CONTROLLER:PLAINTEXT",
                f"log.dirs={self.dir}/data", "num.partitions=1",
                "offsets.topic.replication.factor=1", "transaction.state.log.replication.factor=1",
                "transaction.state.log.min.isr=1", "group.initial.rebalance.delay.ms=0", ""]))
        cluster_id = sh(["java", "-cp", kafka_cp(), "kafka.tools.StorageTool", "random-uuid"]).stdout.split()[-1]
        r = sh(["java", "-cp", kafka_cp(), "kafka.tools.StorageTool", "format", "-t", cluster_id, "-c", props])
        if r.returncode != 0:
            raise RuntimeError("kafka format failed: " + r.stdout + r.stderr)
        self.proc = subprocess.Popen(["java", *HEAP, "-cp", kafka_cp(), "kafka.Kafka", props],
                                     stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: port_open(self.port) or self.proc.poll() is not None, 120, "kafka to listen")
        if self.proc.poll() is not None:
            raise RuntimeError(f"kafka exited; see {self.dir}/broker.log")


class TidelogBroker(Broker):
    name = "tidelog"

    def start(self):
        self.proc = subprocess.Popen(
            ["java", *HEAP, "-jar", TIDELOG_JAR, "broker",
             "--override", f"listeners=PLAINTEXT://127.0.0.1:{self.port}",
             "--override", f"log.dirs={self.dir}/data",
             # matches Kafka's settings above: no initial delay before a new group's first rebalance
             "--override", "group.initial.rebalance.delay.ms=0"],
            stdout=self.log, stderr=subprocess.STDOUT)
        wait_for(lambda: port_open(self.port) or self.proc.poll() is not None, 120, "tidelog to listen")
        if self.proc.poll() is not None:
            raise RuntimeError(f"tidelog exited; see {self.dir}/broker.log")


def create_topic(broker, topic, partitions):
    r = sh(["java", "-cp", kafka_cp(), "org.apache.kafka.tools.TopicCommand", "--bootstrap-server",
            broker.bootstrap, "--create", "--topic", topic, "--partitions", str(partitions),
            "--replication-factor", "1"], timeout=120)
    if r.returncode != 0:
        raise RuntimeError(f"create topic on {broker.name}: {r.stdout}{r.stderr}")


PRODUCER_LINE = re.compile(
    r"(\d+) records sent, ([\d.]+) records/sec \(([\d.]+) MB/sec\), ([\d.]+) ms avg latency, "
    r"([\d.]+) ms max latency, (\d+) ms 50th, (\d+) ms 95th, (\d+) ms 99th, (\d+) ms 99.9th")


def producer_run(broker, topic, records, acks, batch, linger):
    cpu0 = cpu_seconds(broker.proc.pid)
    r = sh(["java", "-cp", kafka_cp(), "org.apache.kafka.tools.ProducerPerformance", "--topic", topic,
            "--num-records", str(records), "--record-size", "100", "--throughput", "-1",
            "--producer-props", f"bootstrap.servers={broker.bootstrap}", f"acks={acks}",
            f"batch.size={batch}", f"linger.ms={linger}"])
    cpu = cpu_seconds(broker.proc.pid) - cpu0
    m = PRODUCER_LINE.search(r.stdout)
    if r.returncode != 0 or not m:
        return {"error": (r.stdout + r.stderr)[-400:]}
    return {"rec_s": float(m.group(2)), "mb_s": float(m.group(3)), "p99_ms": float(m.group(8)),
            "cpu_per_m": cpu / records * 1e6}


def consumer_run(broker, topic, records):
    cpu0 = cpu_seconds(broker.proc.pid)
    r = sh(["java", "-cp", kafka_cp(), "org.apache.kafka.tools.ConsumerPerformance", "--bootstrap-server",
            broker.bootstrap, "--topic", topic, "--messages", str(records), "--timeout", "60000"])
    cpu = cpu_seconds(broker.proc.pid) - cpu0
    # CSV: start, end, MB, MB/s, records, records/s, rebalance ms, fetch ms, fetch MB/s, fetch rec/s
    lines = [l for l in r.stdout.splitlines() if l and l[0].isdigit()]
    if r.returncode != 0 or not lines:
        return {"error": (r.stdout + r.stderr)[-400:]}
    cols = [c.strip() for c in lines[-1].split(",")]
    return {"rec_s": float(cols[5]), "mb_s": float(cols[3]), "cpu_per_m": cpu / records * 1e6}


E2E_LINE = re.compile(r"Percentiles: 50th = ([\d.]+), 99th = ([\d.]+), 99.9th = ([\d.]+)")


def e2e_run(broker, topic, records, acks):
    r = sh(["java", "-cp", kafka_cp(), "org.apache.kafka.tools.EndToEndLatency", broker.bootstrap, topic,
            str(records), str(acks), "100"])
    m = E2E_LINE.search(r.stdout)
    if r.returncode != 0 or not m:
        return {"error": (r.stdout + r.stderr)[-400:]}
    return {"p50_ms": float(m.group(1)), "p99_ms": float(m.group(2))}


def median(results, key):
    values = [r[key] for r in results if key in r]
    return statistics.median(values) if values else None


def fmt(v, digits=1):
    return "—" if v is None else f"{v:,.{digits}f}"


def tidelog_perf_run(broker, workload, run, args):
    """One `tidelog perf run WORKLOAD` against broker; returns the parsed JSON plus broker CPU."""
    import json
    name = os.path.splitext(os.path.basename(workload))[0]
    os.makedirs(REPORTS, exist_ok=True)
    stem = os.path.join(REPORTS, f"{name}-{broker.name}-run{run + 1}")
    cmd = ["java", "-Xms512m", "-Xmx1g", "-cp", PERF_JAR, PERF_MAIN, "run", os.path.join(ROOT, workload),
           "-b", broker.bootstrap, "-q", "--json", stem + ".json", "--html", stem + ".html"]
    for flag, value in (("--duration", args.duration), ("--warmup", args.warmup), ("--records", args.perf_records),
                        ("--rate", args.rate), ("--mode", args.mode)):
        if value is not None:
            cmd += [flag, str(value)]
    if args.verify:
        cmd.append("--verify")
    cpu0 = cpu_seconds(broker.proc.pid)
    t0 = time.monotonic()
    r = sh(cmd)
    cpu = cpu_seconds(broker.proc.pid) - cpu0
    wall = time.monotonic() - t0
    with open(stem + ".txt", "w") as f:
        f.write(r.stdout + r.stderr)
    if not os.path.isfile(stem + ".json"):
        return {"error": (r.stdout + r.stderr)[-400:]}
    with open(stem + ".json") as f:
        report = json.load(f)
    produced = (report.get("produce") or {}).get("records") or 0
    report["broker_cpu_per_m"] = cpu / produced * 1e6 if produced else None
    # broker CPU while the tool ran (start-up, topic creation and drain included), % of one core
    report["broker_cpu_pct"] = 100 * cpu / wall if wall > 0 else None
    report["exit_code"] = r.returncode
    return report


def perf_row(workload, name, reports):
    ok = [r for r in reports if "error" not in r]
    if not ok:
        return f"| {workload} | {name} | failed: {reports[0]['error'].strip().splitlines()[-1][:80] if reports else 'not run'} |" + " |" * 10

    def med(path):
        values = []
        for r in ok:
            v = r
            for key in path:
                v = (v or {}).get(key) if isinstance(v, dict) else None
            if isinstance(v, (int, float)):
                values.append(v)
        return statistics.median(values) if values else None

    verify = [r["verify"] for r in ok if r.get("verify")]
    verdict = "—" if not verify else ("0/0/0" if all(v["clean"] for v in verify) else
                                      "/".join(str(sum(v[k] for v in verify)) for k in ("lost", "duplicated", "reordered")))
    return (f"| {workload} | {name} | {fmt(med(['produce', 'records_per_sec']), 0)} | {fmt(med(['produce', 'mb_per_sec']), 2)} | "
            f"{fmt(med(['produce', 'latency_ms', 'p50']), 2)} | {fmt(med(['produce', 'latency_ms', 'p99']), 2)} | "
            f"{fmt(med(['produce', 'latency_ms', 'p99_9']), 2)} | {fmt(med(['consume', 'e2e_latency_ms', 'p50']), 2)} | "
            f"{fmt(med(['consume', 'e2e_latency_ms', 'p99']), 2)} | {fmt(med(['consume', 'e2e_latency_ms', 'p99_9']), 2)} | "
            f"{fmt(med(['broker_cpu_per_m']), 2)} | {fmt(med(['broker_cpu_pct']), 0)} | {verdict} |")


def main_tidelog_perf(args):
    ensure_artifacts()
    ensure_perf_jar()
    brokers = {"kafka": KafkaBroker, "tidelog": TidelogBroker}
    names = args.brokers.split(",")
    workloads = args.workloads.split(",") if args.workloads else DEFAULT_WORKLOADS
    results = {(w, n): [] for w in workloads for n in names}
    port = 29092
    for run in range(args.runs):
        order = names if run % 2 == 0 else list(reversed(names))
        for name in order:
            for workload in workloads:
                # a fresh broker per workload run, so one run's data never slows the next
                broker = brokers[name](port)
                port += 10
                try:
                    broker.start()
                    res = tidelog_perf_run(broker, workload, run, args)
                    results[(workload, name)].append(res)
                    summary = res.get("error") or {k: (res.get(k) or {}).get("records_per_sec") for k in ("produce", "consume")}
                    print(f"[run {run + 1}] {name} {os.path.basename(workload)}: {summary}", file=sys.stderr)
                finally:
                    broker.stop()
    overrides = ", ".join(f"{k} {v}" for k, v in (("duration", args.duration), ("warmup", args.warmup),
                                                  ("records", args.perf_records), ("rate", args.rate),
                                                  ("mode", args.mode)) if v is not None)
    out = [f"Driver: tidelog perf; runs: {args.runs}; medians; workloads as committed"
           + (f" except {overrides}" if overrides else "") + f"; reports in {os.path.relpath(REPORTS, ROOT)}/.", "",
           "| workload | broker | produced records/s | MB/s | ack p50 ms | ack p99 ms | ack p99.9 ms | e2e p50 ms | e2e p99 ms "
           "| e2e p99.9 ms | broker CPU s / M records | broker CPU % | verify lost/dup/reordered |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for w in workloads:
        for n in names:
            out.append(perf_row(os.path.splitext(os.path.basename(w))[0], n, results[(w, n)]))
    text = "\n".join(out)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--runs", type=int, default=3)
    ap.add_argument("--records", type=int, help="records per producer run (default 2,000,000; 300,000 with --quick)")
    ap.add_argument("--e2e-records", type=int)
    ap.add_argument("--quick", action="store_true")
    ap.add_argument("--brokers", default="kafka,tidelog")
    ap.add_argument("--out")
    ap.add_argument("--driver", choices=["kafka-tools", "tidelog-perf"], default="kafka-tools",
                    help="who generates the load: Kafka's perf tools (default) or `tidelog perf` with workload files")
    ap.add_argument("--workloads", help="tidelog-perf: comma-separated workload files (default: the committed ones)")
    ap.add_argument("--duration", help="tidelog-perf: override each workload's duration, e.g. 30s")
    ap.add_argument("--warmup", help="tidelog-perf: override each workload's warm-up, e.g. 5s")
    ap.add_argument("--perf-records", type=int, help="tidelog-perf: override each workload's record count")
    ap.add_argument("--rate", type=int, help="tidelog-perf: override each workload's rate (0 = max)")
    ap.add_argument("--verify", action="store_true", help="tidelog-perf: check every record (lost/dup/reordered)")
    ap.add_argument("--mode", choices=["produce", "e2e"], help="tidelog-perf: override each workload's mode")
    args = ap.parse_args()
    if args.driver == "tidelog-perf":
        main_tidelog_perf(args)
        return
    if args.quick:
        args.runs = 1
    args.records = args.records or (300_000 if args.quick else 2_000_000)
    args.e2e_records = args.e2e_records or (2_000 if args.quick else 20_000)

    ensure_artifacts()
    configs = list(itertools.product(["1", "all"], [16384, 65536], [0, 5], [1, 6]))
    if args.quick:
        configs = [("1", 65536, 5, 1), ("all", 16384, 0, 6)]
    brokers = {"kafka": KafkaBroker, "tidelog": TidelogBroker}
    names = args.brokers.split(",")
    produce = {(n, c): [] for n in names for c in configs}
    consume = {n: [] for n in names}
    e2e = {(n, a): [] for n in names for a in ["1", "all"]}

    port = 29092
    for run in range(args.runs):
        order = names if run % 2 == 0 else list(reversed(names))
        for name in order:
            broker = brokers[name](port)
            port += 10
            try:
                broker.start()
                for i, (acks, batch, linger, parts) in enumerate(configs):
                    topic = f"p{i}-{acks}-{batch}-{linger}-{parts}"
                    create_topic(broker, topic, parts)
                    res = producer_run(broker, topic, args.records, acks, batch, linger)
                    produce[(name, (acks, batch, linger, parts))].append(res)
                    print(f"[run {run + 1}] {name} produce {topic}: {res}", file=sys.stderr)
                first = f"p0-{configs[0][0]}-{configs[0][1]}-{configs[0][2]}-{configs[0][3]}"
                res = consumer_run(broker, first, args.records)
                consume[name].append(res)
                print(f"[run {run + 1}] {name} consume: {res}", file=sys.stderr)
                for acks in ["1", "all"]:
                    topic = f"e2e-{acks}"
                    create_topic(broker, topic, 1)
                    res = e2e_run(broker, topic, args.e2e_records, acks)
                    e2e[(name, acks)].append(res)
                    print(f"[run {run + 1}] {name} e2e acks={acks}: {res}", file=sys.stderr)
            finally:
                broker.stop()

    out = [f"Runs: {args.runs}; {args.records:,} records of 100 bytes per producer run; medians.", "",
           "| acks | batch.size | linger.ms | partitions | broker | records/s | MB/s | p99 ms | broker CPU s / M records |",
           "| --- | --- | --- | --- | --- | --- | --- | --- | --- |"]
    for c in configs:
        for n in names:
            rs = produce[(n, c)]
            errs = [r["error"] for r in rs if "error" in r]
            if errs and len(errs) == len(rs):
                out.append(f"| {c[0]} | {c[1]} | {c[2]} | {c[3]} | {n} | failed: {errs[0].splitlines()[-1][:80]} | | | |")
                continue
            out.append(f"| {c[0]} | {c[1]} | {c[2]} | {c[3]} | {n} | {fmt(median(rs, 'rec_s'), 0)} | "
                       f"{fmt(median(rs, 'mb_s'), 2)} | {fmt(median(rs, 'p99_ms'), 0)} | {fmt(median(rs, 'cpu_per_m'), 2)} |")
    out += ["", "| consumer (ConsumerPerformance) | records/s | MB/s | broker CPU s / M records |", "| --- | --- | --- | --- |"]
    for n in names:
        rs = consume[n]
        if all("error" in r for r in rs):
            out.append(f"| {n} | failed: {rs[0]['error'].strip().splitlines()[-1][:100] if rs else 'not run'} | | |")
        else:
            out.append(f"| {n} | {fmt(median(rs, 'rec_s'), 0)} | {fmt(median(rs, 'mb_s'), 2)} | {fmt(median(rs, 'cpu_per_m'), 2)} |")
    out += ["", "| end-to-end (EndToEndLatency) | acks | p50 ms | p99 ms |", "| --- | --- | --- | --- |"]
    for (n, a), rs in e2e.items():
        if all("error" in r for r in rs):
            out.append(f"| {n} | {a} | failed: {rs[0]['error'].strip().splitlines()[-1][:100] if rs else 'not run'} | |")
        else:
            out.append(f"| {n} | {a} | {fmt(median(rs, 'p50_ms'), 2)} | {fmt(median(rs, 'p99_ms'), 2)} |")
    text = "\n".join(out)
    print(text)
    if args.out:
        with open(args.out, "w") as f:
            f.write(text + "\n")


if __name__ == "__main__":
    main()
