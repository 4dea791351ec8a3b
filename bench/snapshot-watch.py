#!/usr/bin/env python3
"""Starts a snapshot (BGSAVE or BGREWRITEAOF) and watches it until it ends, from ONE process.

Why not a shell loop: the earlier loop forked redis-cli, pgrep, awk, sed and tr every 20 ms. On a 2-core machine
whose other core is busy with the save (Redis's child, or Keyline's snapshot thread), those forks took the core the
server and the load generator needed, and the load's coordinated-omission-aware latency grew to the length of the
save, for redis-server as much as for Keyline (p99 0.97 s against 7 ms without the loop, at 5k SET/s). This watcher
keeps one connection and polls INFO only. Sampling RSS from /proc during the save also disturbed redis-server
(a 190 ms command in its LATENCY LATEST), so the server's peak comes from the kernel's own high-water mark (VmHWM,
reset through clear_refs before the save) instead.

The extra memory of a fork is not the sum of parent and child RSS (shared pages count twice there): it is the
pages copied on write, which Redis measures itself (rdb_last_cow_size / aof_last_cow_size, the child's private
dirty memory); the caller adds that to the parent's growth.

Usage: snapshot-watch.py PORT PID COMMAND BUSY_FIELD
Prints: "<elapsed ms> <server RSS kB before> <server peak RSS kB during the save>".
"""
import os
import socket
import sys
import time


def command(sock, *args):
    payload = b"*%d\r\n" % len(args) + b"".join(b"$%d\r\n%s\r\n" % (len(a), a) for a in (x.encode() for x in args))
    sock.sendall(payload)
    first = b""
    while not first.endswith(b"\r\n"):
        first += sock.recv(1)
    if first[:1] == b"$":
        size = int(first[1:-2])
        body = b""
        while len(body) < size + 2:
            body += sock.recv(size + 2 - len(body))
        return body[:-2].decode()
    return first[:-2].decode()


def info_field(sock, name):
    for line in command(sock, "INFO", "persistence").split("\r\n"):
        if line.startswith(name + ":"):
            return line.split(":", 1)[1]
    return None


def status_kb(pid, field):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    return 0


def reset_peak(pid):
    """Resets the process's peak RSS (VmHWM) to its current RSS, so the peak read after the save is the save's."""
    with open(f"/proc/{pid}/clear_refs", "w") as f:
        f.write("5")


def main():
    port, pid, cmd, busy = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3], sys.argv[4]
    sock = socket.create_connection(("127.0.0.1", port))
    before = status_kb(pid, "VmRSS")
    reset_peak(pid)
    start = time.monotonic()
    command(sock, cmd)
    time.sleep(0.02)
    while info_field(sock, busy) != "0":
        time.sleep(0.02)
    print(f"{int((time.monotonic() - start) * 1000)} {before} {status_kb(pid, 'VmHWM')}")


if __name__ == "__main__":
    main()
