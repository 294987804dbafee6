#!/usr/bin/env bash
# Docker HEALTHCHECK of the hub: GET of the open readiness probe on the hub's own HTTP port, healthy on 200.
#
# Why bash's /dev/tcp and a hand-written HTTP request: the runtime image (eclipse-temurin:17-jre) has curl and wget
# today only "for historical reasons" (its Dockerfile's words), which is no promise, and a JVM per check is heavy;
# bash is in the image and the entrypoint needs it anyway. Docker's --timeout bounds a connection that hangs.
#
# Why /actuator/health/readiness (readinessState and the hub's broker) rather than /actuator/health: the overall
# status is DOWN whenever a partner's broker is unreachable or a send to it failed, by design (application.yml,
# management.endpoint.health), and a partner's outage must not mark this container unhealthy, nor hold back the
# instances that wait for it (docker/compose.yml). Monitoring should still poll /actuator/health.
# ORIGINHUB_HEALTHCHECK_PATH=/actuator/health makes the check follow the overall status instead.
set -u
# The hub's HTTP port: 8080 unless the environment sets SERVER_PORT (a server.port set in a mounted yml file instead
# needs SERVER_PORT here too).
port=${SERVER_PORT:-8080}
path=${ORIGINHUB_HEALTHCHECK_PATH:-/actuator/health/readiness}
if ! { exec 3<>"/dev/tcp/127.0.0.1/$port"; } 2>/dev/null; then
  echo "no HTTP listener on 127.0.0.1:$port"
  exit 1
fi
printf 'GET %s HTTP/1.1\r\nHost: 127.0.0.1:%s\r\nAccept: application/json\r\nConnection: close\r\n\r\n' "$path" "$port" >&3
status=""
IFS= read -r -t 10 status <&3
exec 3<&- 3>&-
status=${status%$'\r'}
if [[ $status =~ ^HTTP/1\.[01]\ 200(\ |$) ]]; then
  exit 0
fi
echo "GET $path: ${status:-no answer}"
exit 1
