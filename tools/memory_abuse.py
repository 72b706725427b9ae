#!/usr/bin/env python3
"""The manual run of docs/reliability.md, "Memory and connections": what one client holding
many connections costs a node. Phase 1: BODIES connections (from as many loopback addresses,
127.0.1.x, so the per-address cap does not stop them first) each announce an 8 MiB body and
send half of it, then hold. Phase 2: DOWNLOADS connections (spread over 127.0.2.x, at most 30
per address) each ask for the referential (GET /api/referential) and read one byte, then
hold. The node's RSS is sampled all along; answers are counted.
usage: memory_abuse.py PORT NODE_PID BODIES DOWNLOADS"""
import socket, sys, threading, time

port, pid, bodies, downloads = (int(a) for a in sys.argv[1:5])

def rss_mib():
    with open(f'/proc/{pid}/status') as f:
        return next(int(l.split()[1]) for l in f if l.startswith('VmRSS')) / 1024

peak = [rss_mib()]
stop = threading.Event()
def sampler():
    while not stop.is_set():
        peak[0] = max(peak[0], rss_mib())
        time.sleep(0.05)
threading.Thread(target=sampler, daemon=True).start()

def connect(src):
    s = socket.create_connection(('127.0.0.1', port), timeout=30, source_address=(src, 0))
    return s

def status_of(s):
    try:
        s.settimeout(0.5)
        head = s.recv(64)
        return head.split(b' ')[1].decode() if head.startswith(b'HTTP/') else 'open'
    except socket.timeout:
        return 'open'
    except OSError as e:
        return type(e).__name__

before = rss_mib()
held, answers = [], {}
half = b'x' * (4 * 1024 * 1024)
for i in range(bodies):
    try:
        s = connect(f'127.0.1.{1 + i % 250}')
        s.sendall(b'POST /api/admin/import HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n'
                  b'Content-Length: 8388608\r\n\r\n')
        try:
            s.settimeout(2)
            s.sendall(half)
        except OSError:
            pass
        held.append(s)
    except OSError as e:
        answers[type(e).__name__] = answers.get(type(e).__name__, 0) + 1
time.sleep(2)
for s in held:
    k = status_of(s)
    answers[k] = answers.get(k, 0) + 1
phase1 = (before, peak[0], rss_mib(), dict(answers))
for s in held:
    s.close()
time.sleep(2)

peak[0] = before2 = rss_mib()
held, answers = [], {}
for i in range(downloads):
    try:
        s = connect(f'127.0.2.{1 + i // 30}')
        s.sendall(b'GET /api/referential HTTP/1.1\r\nHost: x\r\n\r\n')
        s.settimeout(30)
        first = s.recv(16)
        k = first.split(b' ')[1].decode() if first.startswith(b'HTTP/') else 'other'
        answers[k] = answers.get(k, 0) + 1
        held.append(s)
    except OSError as e:
        answers[type(e).__name__] = answers.get(type(e).__name__, 0) + 1
time.sleep(3)
during = rss_mib()
for s in held:
    s.close()
time.sleep(3)
stop.set()
print(f'bodies: {bodies} connections, RSS {phase1[0]:.0f} MiB before, peak {phase1[1]:.0f} MiB, '
      f'{phase1[2]:.0f} MiB while held; answers {phase1[3]}')
print(f'downloads: {downloads} connections, RSS {before2:.0f} MiB before, peak {peak[0]:.0f} MiB, '
      f'{during:.0f} MiB while held, {rss_mib():.0f} MiB after; first answers {answers}')
