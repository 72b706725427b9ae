#!/usr/bin/python3
"""A real SMTP server on loopback for the mail tests (Debian's python3-aiosmtpd).

Listens on 127.0.0.1 (port 0 = a free one), writes each message it accepts to DIR as
<n>.eml (the raw bytes as received, after the DATA dot-unstuffing), and once listening
writes {"smtp": <port>} to the ready file. A recipient whose local part starts with
"refuse" is refused with "550 5.1.1 Destinataire inconnu". With --user/--password, AUTH
PLAIN/LOGIN is offered and required before MAIL. With --tls-cert/--tls-key, STARTTLS is
offered and required before anything else (and AUTH only after it).

  smtp_sink.py --dir DIR --ready-file FILE [--port N] [--user U --password P]
               [--tls-cert PEM --tls-key PEM]
"""
import argparse
import asyncio
import json
import os
import signal
import ssl
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class Sink:
    def __init__(self, directory):
        self.directory = directory
        self.count = len([n for n in os.listdir(directory) if n.endswith(".eml")])

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.split("@")[0].lower().startswith("refuse"):
            return "550 5.1.1 Destinataire inconnu"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.count += 1
        name = os.path.join(self.directory, "%d.eml" % self.count)
        with open(name + ".tmp", "wb") as out:
            out.write(("X-Envelope-From: %s\r\n" % envelope.mail_from).encode())
            out.write(("X-Envelope-To: %s\r\n" % ",".join(envelope.rcpt_tos)).encode())
            out.write(envelope.original_content)
        os.rename(name + ".tmp", name)  # readers never see half a message
        return "250 OK message accepted"


def main():
    warnings.simplefilter("ignore")
    parser = argparse.ArgumentParser()
    parser.add_argument("--dir", required=True)
    parser.add_argument("--ready-file", required=True)
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--tls-cert")
    parser.add_argument("--tls-key")
    args = parser.parse_args()
    handler = Sink(args.dir)

    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user
              and auth_data.password.decode() == args.password)
        return AuthResult(success=ok)

    tls = None
    if args.tls_cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.tls_cert, args.tls_key)

    def factory():
        options = {"decode_data": False}
        if tls:
            options.update(tls_context=tls, require_starttls=True)
        if args.user:
            options.update(authenticator=authenticate, auth_required=True,
                           auth_require_tls=tls is not None)
        return SMTP(handler, **options)

    loop = asyncio.new_event_loop()
    asyncio.set_event_loop(loop)
    server = loop.run_until_complete(loop.create_server(factory, "127.0.0.1", args.port))
    port = server.sockets[0].getsockname()[1]
    with open(args.ready_file + ".tmp", "w") as out:
        json.dump({"smtp": port}, out)
    os.rename(args.ready_file + ".tmp", args.ready_file)
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, loop.stop)
    loop.run_forever()
    server.close()
    loop.run_until_complete(server.wait_closed())


if __name__ == "__main__":
    main()
