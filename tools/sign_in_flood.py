#!/usr/bin/env python3
"""The manual run of docs/reliability.md, "Sign-in": ADDRESSES source addresses (127.0.0.2
and up: loopback aliases need no configuration on Linux) send POST /api/session with wrong
passwords, half of them for admin@example.org, as fast as they are answered, for SECONDS,
while one client (127.0.0.1) times the public search and samples the node's memory; midway
the staff member signs in with the correct password (phrase-de-passe-du-banc), without and
then with the known-device cookie a sign-in before the attack gave.
usage: sign_in_flood.py PORT NODE_PID SECONDS ADDRESSES"""
import http.client, json, statistics, sys, threading, time

port, pid, seconds, n = int(sys.argv[1]), int(sys.argv[2]), float(sys.argv[3]), int(sys.argv[4])
stop = time.time() + seconds
counts, lock = {}, threading.Lock()

def rss_kib():
    with open(f'/proc/{pid}/status') as f:
        return {l.split(':')[0]: int(l.split()[1]) for l in f if l.startswith(('VmRSS', 'VmHWM'))}

def attacker(i):
    src = f'127.0.0.{2 + i}'
    while time.time() < stop:
        try:
            c = http.client.HTTPConnection('127.0.0.1', port, timeout=60, source_address=(src, 0))
            body = json.dumps({'email': 'admin@example.org' if i % 2 == 0 else f'x{i}@example.org',
                               'password': f'devine-{i}-{time.time()}'})
            c.request('POST', '/api/session', body, {'Content-Type': 'application/json'})
            r = c.getresponse(); r.read(); c.close()
            key = r.status
        except Exception as e:
            key = type(e).__name__
        with lock:
            counts[key] = counts.get(key, 0) + 1

def search_once():
    t = time.time()
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=120, source_address=('127.0.0.1', 0))
    c.request('GET', '/api/initiatives?q=epicerie')
    r = c.getresponse(); r.read(); c.close()
    return (time.time() - t) * 1000, r.status

def staff_sign_in(cookie=None):
    t = time.time()
    c = http.client.HTTPConnection('127.0.0.1', port, timeout=120, source_address=('127.0.0.1', 0))
    headers = {'Content-Type': 'application/json'}
    if cookie: headers['Cookie'] = cookie
    c.request('POST', '/api/session', json.dumps({'email': 'admin@example.org', 'password': 'phrase-de-passe-du-banc'}), headers)
    r = c.getresponse(); body = r.read(); cookies = r.msg.get_all('Set-Cookie') or []; c.close()
    device = next((x.split(';')[0] for x in cookies if x.startswith('ess_device=')), None)
    code = json.loads(body).get('code', '') if r.status != 201 else ''
    return r.status, code, (time.time() - t) * 1000, device

st = staff_sign_in()
device = st[3]
print(f'staff sign-in before the attack: {st[0]} in {st[2]:.0f} ms')
base = [search_once()[0] for _ in range(20)]
print(f'idle search: median {statistics.median(base):.1f} ms, max {max(base):.1f} ms')
rss0 = rss_kib()
threads = [threading.Thread(target=attacker, args=(i,), daemon=True) for i in range(n)]
for t in threads: t.start()
lat, peak, staff_done = [], 0, False
while time.time() < stop:
    if not staff_done and time.time() > stop - seconds / 2:
        staff_done = True
        for label, cookie in (('without the known-device cookie', None), ('from the known device', device)):
            tries = []
            for _ in range(5):
                s_, code, ms_, _ = staff_sign_in(cookie)
                tries.append(f'{s_}{" " + code if code else ""} ({ms_:.0f} ms)')
                if s_ == 201: break
            print(f'staff sign-in mid-attack {label}: ' + ', '.join(tries))
    ms, status = search_once()
    lat.append(ms)
    peak = max(peak, rss_kib()['VmRSS'])
    time.sleep(0.2)
for t in threads: t.join(timeout=120)
lat.sort()
print(f'under attack ({n} addresses, {seconds:.0f} s): {len(lat)} searches, median {statistics.median(lat):.1f} ms, '
      f'p95 {lat[int(len(lat) * 0.95) - 1]:.1f} ms, max {lat[-1]:.1f} ms')
print('sign-in answers:', dict(sorted(counts.items(), key=str)))
r = rss_kib()
print(f'RSS before {rss0["VmRSS"] // 1024} MiB, peak sampled {peak // 1024} MiB, VmHWM {r["VmHWM"] // 1024} MiB')
