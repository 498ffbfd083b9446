#!/usr/bin/env python3
"""Mutates the shipped etc/olmd.toml many times and runs the real olmd on each
variant (issue 11): no signal, no hang, only documented exit codes, every error
message with file:line:column (or naming a file), and no file outside olmd's own
touched (a victim file and the database are checksummed around every run).

Usage: config_mutations.py OLMD_BINARY ETC_OLMD_TOML [COUNT] [SEED]
"""
import hashlib
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile

VALUES = [
    '0', '-1', '1', '-0', '9223372036854775807', '-9223372036854775808', '99999999999999999999', '1e18', '1e-18',
    'nan', 'inf', '-inf', '0.5', '3.14', 'true', 'false', '""', '"-1:00"', '"-0:30"', '"24:00"', '"*"', '"12:30"',
    '"0 0 30 2 *"', '"*/0 * * * *"', '"61 * * * *"', '"a b c d e"', '[]', '[""]', '["On Hold"]', '[1, 2]', '{}',
    '"http://example.com"', '"https://"', '"http://127.0.0.1:1"', '"/dev/zero"', '"/dev/null"', '"/etc/passwd"',
    '"@DB@"', '"@DB@-wal"', '"@CONFIG@"', '"@VICTIM@"', '"@DIR@"', '"@DIR@/fifo"', '"@DIR@/link"',
    '"' + 'x' * 5000 + '"', '"\\u0000"', '"\\n"', '"sandbox"', '"stripe"', '"closest"', '"mmdb"', '"500.00"',
    '"500.001"', '"-5"', '"Ready to Process"', '"On Hold"', '"Non Compliant"', '1979-05-27T07:32:00Z',
    '"../../etc/passwd"', '"America/New_York"', '"Mars/Olympus"',
]
NOISE = ['[', ']', '=', '"', '#', '\n', '[[', '.', ',', '\\', '\x00', "'''", '{', '}']


def digest(path):
    try:
        with open(path, 'rb') as f:
            return hashlib.sha256(f.read()).hexdigest()
    except FileNotFoundError:
        return None


def mutate(lines, rnd, subst):
    out = list(lines)
    for _ in range(rnd.randint(1, 6)):
        i = rnd.randrange(len(out))
        line = out[i]
        kind = rnd.random()
        m = re.match(r'^#?\s*([A-Za-z_.]+)\s*=\s*(.*)$', line)
        if m and kind < 0.55:
            out[i] = m.group(1) + ' = ' + rnd.choice(VALUES)
        elif m and kind < 0.75:
            out[i] = line.lstrip('#')
        elif kind < 0.85 and line:
            p = rnd.randrange(len(line) + 1)
            out[i] = line[:p] + rnd.choice(NOISE) + line[p:]
        elif kind < 0.92:
            out.insert(i, out[rnd.randrange(len(out))].lstrip('#'))
        else:
            del out[i]
    return '\n'.join(subst(x) for x in out) + '\n'


def main():
    olmd, shipped = sys.argv[1], sys.argv[2]
    count = int(sys.argv[3]) if len(sys.argv) > 3 else 300
    seed = int(sys.argv[4]) if len(sys.argv) > 4 else 1
    rnd = random.Random(seed)
    with open(shipped) as f:
        lines = f.read().splitlines()
    work = tempfile.mkdtemp(prefix='olmd-probe-')
    failures = 0
    try:
        db, config, victim = (os.path.join(work, n) for n in ('olmd.db', 'olmd.toml', 'victim.txt'))
        with open(victim, 'w') as f:
            f.write('precious\n')
        os.mkfifo(os.path.join(work, 'fifo'))
        os.symlink(victim, os.path.join(work, 'link'))
        with open(config, 'w') as f:
            f.write('[daemon]\ndatabase = "%s"\n' % db)
        subprocess.run([olmd, '--config', config, 'init-db'], check=True, capture_output=True, timeout=60)
        subst = lambda s: (s.replace('@DB@', db).replace('@CONFIG@', config).replace('@VICTIM@', victim)
                           .replace('@DIR@', work))
        # Every variant points at the scratch database, so nothing else can be opened by default.
        head = '[daemon]\ndatabase = "%s"\n' % db
        for n in range(count):
            body = mutate(lines, rnd, subst).replace('[daemon]\n', head, 1)
            with open(config, 'w') as f:
                f.write(body)
            before = (digest(victim), digest(db))
            for args in (['check-config'], ['schedule', '--count', '2', '--from', '2026-12-01T00:00:00Z']):
                try:
                    r = subprocess.run([olmd, '--config', config] + args, capture_output=True, timeout=10)
                except subprocess.TimeoutExpired:
                    print('case %d (%s): hung\n%s' % (n, args[0], body[:2000]))
                    failures += 1
                    continue
                err = r.stderr.decode(errors='replace')
                if r.returncode < 0 or r.returncode not in (0, 1, 2, 4):
                    print('case %d (%s): exit %d\n%s\n%s' % (n, args[0], r.returncode, err[-2000:], body[:2000]))
                    failures += 1
                if args[0] == 'check-config':
                    for line in err.splitlines():
                        if ': error: ' in line and not re.search(r'olmd\.toml:\d+:\d+: error: ', line) \
                                and work not in line.split(': error: ', 1)[1]:
                            print('case %d: error without line:column or file: %s' % (n, line[:300]))
                            failures += 1
                if len(err) > 256 * 1024:
                    print('case %d (%s): %d bytes of messages' % (n, args[0], len(err)))
                    failures += 1
            if (digest(victim), digest(db)) != before:
                print('case %d: a file that is not olmd\'s own changed\n%s' % (n, body[:2000]))
                failures += 1
                with open(victim, 'w') as f:
                    f.write('precious\n')
            if failures > 20:
                break
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print('%d variants, %d failures (seed %d)' % (count, failures, seed))
    return 1 if failures else 0


if __name__ == '__main__':
    sys.exit(main())
