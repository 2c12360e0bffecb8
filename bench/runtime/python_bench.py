#!/usr/bin/env python3
"""The Python 3 side of the runtime comparison: each metric of docs/performance.md measured with
concurrent.futures and asyncio the way a Python program would do it. Prints JSON:
{metric: {"kind": "throughput" (items/s) | "latency" (seconds), "value": float}}."""
import asyncio
import concurrent.futures as cf
import json
import multiprocessing as mp
import os
import signal
import statistics
import sys
import time


def identity(x):
    return x


def echo_bytes(payload):
    return payload


def die_by_sigkill():
    os.kill(os.getpid(), signal.SIGKILL)


def best_of(runs, measure):
    """Smallest time of several runs of a batch: the least disturbed by a busy machine."""
    return min(measure() for _ in range(runs))


def median_of(runs, measure):
    """Median time of several runs of one slow operation, as the C++ side measures those rows."""
    return statistics.median(measure() for _ in range(runs))


def throughput(items, seconds):
    return {"kind": "throughput", "value": items / seconds}


def latency(seconds):
    return {"kind": "latency", "value": seconds}


def thread_pool_submit(results):
    with cf.ThreadPoolExecutor(2) as pool:
        def run():
            start = time.perf_counter()
            futures = [pool.submit(identity, i) for i in range(10_000)]
            for f in futures:
                f.result()
            return time.perf_counter() - start
        results["thread_pool_submit"] = throughput(10_000, best_of(3, run))


def thread_pool_round_trip(results):
    with cf.ThreadPoolExecutor(1) as pool:
        pool.submit(identity, 0).result()
        def run():
            start = time.perf_counter()
            for i in range(2_000):
                pool.submit(identity, i).result()
            return (time.perf_counter() - start) / 2_000
        results["thread_pool_round_trip"] = latency(best_of(3, run))


def process_pool_rows(results):
    context = mp.get_context("fork")
    with cf.ProcessPoolExecutor(2, mp_context=context) as pool:
        pool.submit(identity, 0).result()

        def one_at_a_time():
            start = time.perf_counter()
            futures = [pool.submit(identity, i) for i in range(5_000)]
            for f in futures:
                f.result()
            return time.perf_counter() - start
        results["process_pool_submit"] = throughput(5_000, best_of(3, one_at_a_time))

        def chunked():
            start = time.perf_counter()
            for _ in pool.map(identity, range(1_000_000), chunksize=50_000):
                pass
            return time.perf_counter() - start
        results["process_pool_map"] = throughput(1_000_000, best_of(3, chunked))

    with cf.ProcessPoolExecutor(1, mp_context=context) as pool:
        pool.submit(identity, 0).result()

        def round_trip():
            start = time.perf_counter()
            for i in range(500):
                pool.submit(identity, i).result()
            return (time.perf_counter() - start) / 500
        results["process_pool_round_trip"] = latency(best_of(3, round_trip))

        payload = b"x" * (1 << 20)

        def mebibyte():
            start = time.perf_counter()
            for _ in range(30):
                pool.submit(echo_bytes, payload).result()
            return (time.perf_counter() - start) / 30
        results["process_pool_1mib"] = latency(best_of(3, mebibyte))

    def start_pool(method, idle=0.0):
        def run():
            time.sleep(idle)
            start = time.perf_counter()
            pool = cf.ProcessPoolExecutor(2, mp_context=mp.get_context(method))
            pool.submit(identity, 1).result()
            elapsed = time.perf_counter() - start
            pool.shutdown()
            return elapsed
        return run
    results["process_pool_start"] = latency(median_of(31, start_pool("fork")))
    results["process_pool_start_after_idle"] = latency(median_of(31, start_pool("fork", 0.010)))
    results["process_pool_start_forkserver"] = latency(best_of(3, start_pool("forkserver")))

    def crash():
        pool = cf.ProcessPoolExecutor(1, mp_context=context)
        pool.submit(identity, 0).result()
        start = time.perf_counter()
        try:
            pool.submit(die_by_sigkill).result()
        except cf.process.BrokenProcessPool:
            pass
        elapsed = time.perf_counter() - start
        pool.shutdown()
        return elapsed
    results["process_pool_crash"] = latency(median_of(31, crash))


async def trivial(x):
    return x


async def echo_handler(reader, writer):
    while True:
        data = await reader.read(65536)
        if not data:
            break
        writer.write(data)
        await writer.drain()
    writer.close()


async def event_loop_rows(results):
    async def create_tasks():
        start = time.perf_counter()
        tasks = [asyncio.create_task(trivial(i)) for i in range(10_000)]
        for t in tasks:
            await t
        return time.perf_counter() - start
    results["create_task"] = latency(min([await create_tasks() for _ in range(3)]) / 10_000)

    async def yields():
        start = time.perf_counter()
        for _ in range(100_000):
            await asyncio.sleep(0)
        return time.perf_counter() - start
    results["yield"] = latency(min([await yields() for _ in range(3)]) / 100_000)

    server = await asyncio.start_server(echo_handler, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    message = b"m" * 64

    async def echo():
        start = time.perf_counter()
        for _ in range(5_000):
            writer.write(message)
            await writer.drain()
            await reader.readexactly(64)
        return (time.perf_counter() - start) / 5_000
    results["tcp_echo"] = latency(min([await echo() for _ in range(3)]))
    writer.close()
    server.close()

    async def to_thread():
        start = time.perf_counter()
        for i in range(2_000):
            await asyncio.to_thread(identity, i)
        return (time.perf_counter() - start) / 2_000
    results["to_thread"] = latency(min([await to_thread() for _ in range(3)]))

    loop = asyncio.get_running_loop()
    with cf.ProcessPoolExecutor(1, mp_context=mp.get_context("fork")) as pool:
        await loop.run_in_executor(pool, identity, 0)

        async def in_process():
            start = time.perf_counter()
            for i in range(500):
                await loop.run_in_executor(pool, identity, i)
            return (time.perf_counter() - start) / 500
        results["run_in_executor_process"] = latency(min([await in_process() for _ in range(3)]))


def main():
    results = {}
    thread_pool_submit(results)
    thread_pool_round_trip(results)
    process_pool_rows(results)
    asyncio.run(event_loop_rows(results))
    json.dump(results, sys.stdout, indent=1)


if __name__ == "__main__":
    main()
