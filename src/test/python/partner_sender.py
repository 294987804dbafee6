#!/usr/bin/python3
"""A partner's sender that is not Java: a plain Qpid Proton (Python, Debian's python3-qpid-proton) AMQP 1.0 client
for the hub's tests.

Connects to --url with SASL PLAIN (--user/--password; no TLS, loopback tests only), attaches one sender link to
--address (target capability "queue": an anycast queue), and sends each FILE as one durable, unsettled message:
  --body data    the file's bytes as an AMQP data section (a JMS BytesMessage to a JMS reader)
  --body string  the file's text (UTF-8) as an amqp-value string (a JMS TextMessage)
with the application properties given by --property NAME=VALUE (repeatable, the same on every message).
Waits for each message's outcome and prints one line per file, in the order of the outcomes:
  accepted FILE | rejected FILE <condition> <description> | released FILE | modified FILE
and, on failure, "error <what> <condition> <description>" or "timeout FILE" for every file without an outcome.
Exit status: 0 if every message was accepted; 1 if any other outcome; 2 on a connection, session or link error;
3 if --timeout seconds passed first.
"""
import argparse
import os
import sys
import uuid

from proton import Delivery, Message, symbol
from proton.handlers import MessagingHandler
from proton.reactor import Container, LinkOption


class QueueTarget(LinkOption):
    """Asks for the address as a queue (anycast), as Qpid JMS does for a JMS Queue."""

    def apply(self, link):
        link.target.capabilities.put_object(symbol("queue"))


class Sender(MessagingHandler):
    def __init__(self, args):
        # auto_settle: settle each delivery once its outcome has arrived (the outcome is what this client waits for).
        super().__init__(auto_settle=True)
        self.args = args
        self.files = list(args.files)
        self.to_send = list(args.files)
        self.outstanding = {}
        self.status = 0
        self.timer = None
        self.connection = None

    def on_start(self, event):
        self.timer = event.container.schedule(self.args.timeout, self)
        # reconnect=False: a refused connection is an answer to report, not something to retry until the timeout.
        self.connection = event.container.connect(self.args.url, user=self.args.user, password=self.args.password,
                                                  allowed_mechs="PLAIN", allow_insecure_mechs=True, reconnect=False)
        event.container.create_sender(self.connection, self.args.address, options=QueueTarget())

    def on_sendable(self, event):
        while self.to_send and event.sender.credit > 0:
            path = self.to_send.pop(0)
            with open(path, "rb") as f:
                data = f.read()
            body = data if self.args.body == "data" else data.decode("utf-8")
            # inferred=True: bytes travel as a data section rather than as an amqp-value binary.
            message = Message(body=body, inferred=self.args.body == "data", durable=True, id=str(uuid.uuid4()),
                              properties=dict(self.args.property))
            delivery = event.sender.send(message)
            self.outstanding[delivery] = path

    def outcome(self, event, line, failed):
        path = self.outstanding.pop(event.delivery, None)
        print("%s %s%s" % (line[0], path, line[1]), flush=True)
        if failed:
            self.status = max(self.status, 1)
        if not self.to_send and not self.outstanding:
            self.finish()

    def on_accepted(self, event):
        self.outcome(event, ("accepted", ""), False)

    def on_rejected(self, event):
        condition = event.delivery.remote.condition
        detail = " %s %s" % (condition.name, condition.description) if condition else " - -"
        self.outcome(event, ("rejected", detail), True)

    def on_released(self, event):
        # Called for both released and modified.
        kind = "modified" if event.delivery.remote_state == Delivery.MODIFIED else "released"
        self.outcome(event, (kind, ""), True)

    def error(self, what, endpoint):
        condition = endpoint.remote_condition if hasattr(endpoint, "remote_condition") else endpoint.condition
        print("error %s %s %s" % (what, condition.name if condition else "-", condition.description if condition else "-"),
              flush=True)
        self.status = 2
        self.finish()

    def on_transport_error(self, event):
        self.error("transport", event.transport)

    def on_connection_error(self, event):
        self.error("connection", event.connection)

    def on_session_error(self, event):
        self.error("session", event.session)

    def on_link_error(self, event):
        self.error("link", event.link)

    def on_timer_task(self, event):
        for path in list(self.outstanding.values()) + self.to_send:
            print("timeout %s" % path, flush=True)
        self.status = 3
        # Stop without a close handshake: a peer that answers nothing would not answer that either.
        event.container.stop()

    def finish(self):
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None
        if self.connection is not None:
            self.connection.close()
            self.connection = None


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="amqp://HOST:PORT")
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--address", default="hub.inbound")
    parser.add_argument("--body", choices=["data", "string"], default="data")
    parser.add_argument("--property", action="append", default=[], type=lambda p: tuple(p.split("=", 1)),
                        metavar="NAME=VALUE")
    parser.add_argument("--timeout", type=float, default=30.0, help="seconds to wait for every outcome")
    parser.add_argument("files", nargs="+")
    args = parser.parse_args()
    for name_value in args.property:
        if len(name_value) != 2:
            parser.error("--property takes NAME=VALUE")
    for path in args.files:
        if not os.path.isfile(path):
            parser.error("no file %s" % path)
    sender = Sender(args)
    Container(sender).run()
    sys.exit(sender.status)


if __name__ == "__main__":
    main()
