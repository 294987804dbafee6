#!/usr/bin/env bash
# Docker HEALTHCHECK of the hub's external broker: a TCP connection to its CORE acceptor (the one the hub instances
# use), which Artemis opens only once the broker is active. bash's /dev/tcp does it: the runtime image
# (eclipse-temurin:17-jre) has curl and wget today only "for historical reasons" (its Dockerfile's words), which is no
# promise, and neither speaks CORE anyway. Docker's --timeout bounds a connection that hangs.
set -u
port=${BROKER_CORE_PORT:-61616}
if { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  exec 3<&- 3>&-
  exit 0
fi
echo "CORE acceptor 127.0.0.1:$port not accepting connections"
exit 1
