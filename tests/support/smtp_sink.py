#!/usr/bin/env python3
"""smtp_sink: a local SMTP server for olmd's tests (Debian's python3-aiosmtpd).

    smtp_sink.py OUTDIR [--user U --password P] [--fail-first N]

Listens on 127.0.0.1 on a free port and prints that port on the first line of
stdout. Each message accepted is written as OUTDIR/NNNN.eml (the DATA bytes as
received, dot-stuffing undone) and then OUTDIR/NNNN.json (mail_from, rcpt_tos,
login), the .json renamed into place last, so a reader that sees it sees the
whole message. --user/--password require AUTH (PLAIN or LOGIN, allowed without
TLS); --fail-first answers 451 to the first N messages. Every byte a client
sends is appended to OUTDIR/transcript.log (what crossed the wire: AUTH lines
included), so a test can tell that a password was never sent. Exits on
SIGTERM or SIGINT, or when its parent process goes away.
"""

import argparse
import asyncio
import json
import os
import signal
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, outdir, fail_first):
        self.outdir = outdir
        self.fail_left = fail_first
        self.count = 0

    async def handle_DATA(self, server, session, envelope):
        if self.fail_left > 0:
            self.fail_left -= 1
            return "451 4.3.0 Temporary failure, try again"
        self.count += 1
        base = os.path.join(self.outdir, "%04d" % self.count)
        with open(base + ".eml", "wb") as f:
            f.write(envelope.original_content or b"")
        login = session.auth_data
        if isinstance(login, bytes):
            login = login.decode("utf-8", "replace")
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": list(envelope.rcpt_tos),
            "login": login or "",
        }
        with open(base + ".json.tmp", "w", encoding="utf-8") as f:
            json.dump(record, f)
        os.rename(base + ".json.tmp", base + ".json")
        return "250 2.0.0 Message accepted for delivery"


class RecordingSMTP(SMTP):
    """An SMTP session that appends every byte received to a transcript file."""

    def __init__(self, handler, transcript, **kwargs):
        super().__init__(handler, **kwargs)
        self._transcript = transcript

    def data_received(self, data):
        with open(self._transcript, "ab") as f:
            f.write(data)
        super().data_received(data)


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        if isinstance(auth_data, LoginPassword):
            if auth_data.login == user.encode() and auth_data.password == password.encode():
                return AuthResult(success=True, auth_data=auth_data.login)
        return AuthResult(success=False, handled=False)

    return authenticate


async def main():
    warnings.simplefilter("ignore")
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--user")
    ap.add_argument("--password", default="")
    ap.add_argument("--fail-first", type=int, default=0)
    args = ap.parse_args()
    os.makedirs(args.outdir, exist_ok=True)

    handler = Sink(args.outdir, args.fail_first)
    kwargs = {"hostname": "smtp-sink.test", "decode_data": False}
    if args.user:
        kwargs.update(authenticator=make_authenticator(args.user, args.password), auth_required=True,
                      auth_require_tls=False)

    loop = asyncio.get_running_loop()
    transcript = os.path.join(args.outdir, "transcript.log")
    server = await loop.create_server(lambda: RecordingSMTP(handler, transcript, **kwargs), host="127.0.0.1",
                                      port=0)
    print(server.sockets[0].getsockname()[1], flush=True)

    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    parent = os.getppid()

    async def watch_parent():
        while not stop.is_set():
            if os.getppid() != parent:
                stop.set()
            await asyncio.sleep(0.5)

    watcher = asyncio.create_task(watch_parent())
    await stop.wait()
    watcher.cancel()
    server.close()
    await server.wait_closed()


if __name__ == "__main__":
    try:
        asyncio.run(main())
    except KeyboardInterrupt:
        pass
    sys.exit(0)
