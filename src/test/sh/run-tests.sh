#!/usr/bin/env bash
# The README's test command: installs what the tests need beyond Maven and a JDK, from Debian (xmlsec1 for the
# independent signature checks, Chromium and its driver for the Hawtio browser test, Qpid Proton for Python and
# RabbitMQ for the partner compatibility tests, PostgreSQL for the stores' tests on it), then runs every test tier
# with `./mvnw -B verify`.
# Nothing is skipped for a missing tool: with CI=true such a test fails and names what is missing.
# Runs as root (CI, containers) or through sudo; the RabbitMQ, standalone Artemis and PostgreSQL tests start their
# own server processes on loopback ports (no system service is used).
set -euo pipefail
cd "$(dirname "$0")/../../.."

need=()
command -v xmlsec1 >/dev/null 2>&1 || need+=(xmlsec1)
[ -x /usr/bin/chromium ] || need+=(chromium)
[ -x /usr/bin/chromedriver ] || need+=(chromium-driver)
/usr/bin/python3 -c 'import proton' >/dev/null 2>&1 || need+=(python3-qpid-proton)
[ -x /usr/lib/rabbitmq/bin/rabbitmq-server ] || need+=(rabbitmq-server)
compgen -G '/usr/lib/postgresql/*/bin/initdb' >/dev/null || need+=(postgresql)
if [ ${#need[@]} -gt 0 ]; then
  echo "Installing from Debian: ${need[*]}"
  sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || { echo "Need root or sudo to install: apt-get install -y ${need[*]}" >&2; exit 1; }
    sudo=(sudo)
  fi
  export DEBIAN_FRONTEND=noninteractive
  "${sudo[@]}" apt-get update -qq
  "${sudo[@]}" apt-get install -y -qq "${need[@]}" >/dev/null
fi

export CI=true
exec ./mvnw -B verify "$@"
