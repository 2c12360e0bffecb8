#!/usr/bin/env python3
"""seeds/003's own benchmarks, as written there but self-contained: CPU-bound (count primes,
4 tasks: sequential vs threads vs processes) and I/O-bound (4 requests to a local server that
answers after a delay: sequential vs threads vs asyncio). Usage: python_seed_benchmarks.py N DELAY_MS"""
import asyncio
import concurrent.futures as cf
import multiprocessing
import socket
import sys
import threading
import time


def cpu_bound_task(n):
    count = 0
    for num in range(2, n):
        for i in range(2, int(num ** 0.5) + 1):
            if num % i == 0:
                break
        else:
            count += 1
    return count


def benchmark_cpu_bound(n):
    num_tasks = 4
    print(f"CPU-BOUND TASK BENCHMARK (n={n}, {num_tasks} tasks)")
    start = time.time()
    [cpu_bound_task(n) for _ in range(num_tasks)]
    sequential_time = time.time() - start
    print(f"Sequential: {sequential_time:.3f}s")
    start = time.time()
    threads, results = [], []
    for _ in range(num_tasks):
        thread = threading.Thread(target=lambda: results.append(cpu_bound_task(n)))
        threads.append(thread)
        thread.start()
    for thread in threads:
        thread.join()
    threading_time = time.time() - start
    print(f"Threading: {threading_time:.3f}s ({threading_time / sequential_time:.2f}x)")
    start = time.time()
    with multiprocessing.get_context("fork").Pool() as pool:
        pool.map(cpu_bound_task, [n] * num_tasks)
    mp_time = time.time() - start
    print(f"Multiprocessing: {mp_time:.3f}s ({mp_time / sequential_time:.2f}x)")


def start_delay_server(delay):
    ready = threading.Event()
    state = {}

    async def handle(reader, writer):
        while True:
            line = await reader.readline()
            if not line:
                break
            await asyncio.sleep(delay)
            writer.write(b"ok " + line)
            await writer.drain()
        writer.close()

    async def serve():
        server = await asyncio.start_server(handle, "127.0.0.1", 0)
        state["port"] = server.sockets[0].getsockname()[1]
        state["loop"] = asyncio.get_running_loop()
        state["stop"] = asyncio.Event()
        ready.set()
        await state["stop"].wait()
        server.close()

    thread = threading.Thread(target=lambda: asyncio.run(serve()), daemon=True)
    thread.start()
    ready.wait()
    return state


def io_bound_sync(port):
    with socket.create_connection(("127.0.0.1", port)) as connection:
        connection.sendall(b"GET /delay\n")
        data = b""
        while b"\n" not in data:
            chunk = connection.recv(256)
            if not chunk:
                break
            data += chunk
        return len(data)


async def io_bound_async(port):
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    writer.write(b"GET /delay\n")
    data = await reader.readline()
    writer.close()
    return len(data)


async def benchmark_io_bound(port, delay_ms):
    print(f"I/O-BOUND TASK BENCHMARK (4 requests, server delay {delay_ms} ms)")
    start = time.time()
    [io_bound_sync(port) for _ in range(4)]
    sequential_time = time.time() - start
    print(f"Sequential: {sequential_time:.3f}s")
    start = time.time()
    with cf.ThreadPoolExecutor() as executor:
        list(executor.map(io_bound_sync, [port] * 4))
    threading_time = time.time() - start
    print(f"Threading: {threading_time:.3f}s ({threading_time / sequential_time:.2f}x)")
    start = time.time()
    await asyncio.gather(*[io_bound_async(port) for _ in range(4)])
    async_time = time.time() - start
    print(f"Asyncio: {async_time:.3f}s ({async_time / sequential_time:.2f}x)")


if __name__ == "__main__":
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 300_000
    delay_ms = int(sys.argv[2]) if len(sys.argv) > 2 else 1000
    benchmark_cpu_bound(n)
    server = start_delay_server(delay_ms / 1000)
    asyncio.run(benchmark_io_bound(server["port"], delay_ms))
    server["loop"].call_soon_threadsafe(server["stop"].set)
