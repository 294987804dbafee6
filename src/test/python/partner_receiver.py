#!/usr/bin/python3
"""A partner broker stand-in: a plain Qpid Proton AMQP 1.0 server (no transactions, no broker) for the hub's tests.

Listens on 127.0.0.1:PORT, accepts any link, and answers each message by --mode:
  accept        accept it
  reject        reject it with error condition amqp:precondition-failed and a description
  never-settle  do nothing: no outcome, ever
  release-once  release the first delivery of each message-id, accept later ones
  modify-once   modify (delivery-failed) the first delivery of each message-id, accept later ones
Writes into --out DIR: msg-N.xml (the body of each accepted message) and events.log (one line per event:
"listening", "link <role> <target>", "coordinator", "message <n> <_AMQ_DUPL_ID> durable=<bool> settled=<bool>
<outcome>"). Exits on SIGTERM.
"""
import argparse
import os
import signal
import sys

from proton import Condition, Disposition, Terminus
from proton.handlers import MessagingHandler
from proton.reactor import Container

REASON = "CO refused by partner test: unknown certificate series"


class Receiver(MessagingHandler):
    def __init__(self, port, mode, out):
        super().__init__(prefetch=10, auto_accept=False)
        self.port, self.mode, self.out = port, mode, out
        self.count = 0
        self.seen = set()
        self.log = open(os.path.join(out, "events.log"), "a", buffering=1)

    def on_start(self, event):
        self.acceptor = event.container.listen("127.0.0.1:%d" % self.port)
        self.log.write("listening\n")

    def on_link_opening(self, event):
        link = event.link
        target = link.remote_target
        if target is not None and target.type == Terminus.COORDINATOR:
            self.log.write("coordinator\n")
        else:
            self.log.write("link %s %s\n" % ("receiver" if link.is_receiver else "sender",
                                             target.address if target is not None else None))
        if target is not None:
            link.target.copy(target)
        if link.remote_source is not None:
            link.source.copy(link.remote_source)

    def on_message(self, event):
        msg, delivery = event.message, event.delivery
        self.count += 1
        props = msg.properties or {}
        # Whether the hub pre-settled the transfer (it must not: the outcome is what it waits for).
        presettled = delivery.settled
        # The hub's messageId (also its _AMQ_DUPL_ID): the AMQP message-id is new for every attempt.
        hub_id = props.get("_AMQ_DUPL_ID")
        first = hub_id not in self.seen
        self.seen.add(hub_id)
        if self.mode == "accept" or (self.mode in ("release-once", "modify-once") and not first):
            with open(os.path.join(self.out, "msg-%d.xml" % self.count), "w", encoding="utf-8") as f:
                f.write(msg.body if isinstance(msg.body, str) else bytes(msg.body).decode("utf-8"))
            outcome = "accepted"
            self.accept(delivery)
        elif self.mode == "reject":
            delivery.local.condition = Condition("amqp:precondition-failed", REASON)
            delivery.update(Disposition.REJECTED)
            delivery.settle()
            outcome = "rejected"
        elif self.mode == "release-once":
            self.release(delivery, delivered=False)
            outcome = "released"
        elif self.mode == "modify-once":
            self.release(delivery, delivered=True)
            outcome = "modified"
        else:
            outcome = "unsettled"
        self.log.write("message %d %s durable=%s settled=%s %s\n" % (
            self.count, hub_id, msg.durable, presettled, outcome))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--mode", default="accept",
                        choices=["accept", "reject", "never-settle", "release-once", "modify-once"])
    parser.add_argument("--out", required=True)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    container = Container(Receiver(args.port, args.mode, args.out))
    container.allow_insecure_mechs = True
    signal.signal(signal.SIGTERM, lambda *a: sys.exit(0))
    container.run()


if __name__ == "__main__":
    main()
