#!/usr/bin/env bash
# Starts Origin Hub in the container. Production by default: demo mode (self-signed keys, generated secrets) is off
# and the hub does not start until every secret and key it needs is given. Demo mode only with ORIGINHUB_DEMO=true.
#
#   ORIGINHUB_DEMO=true                 demo: missing secrets are generated into data/demo/, demo keys into data/keys/
#   ORIGINHUB_REQUIRED_SECRETS="A B"    environment variables that must be set (default: the secrets of config/)
#   ORIGINHUB_REQUIRED_FILES="f g"      files that must exist, e.g. keystores (default: the keys of config/)
#   ORIGINHUB_BROKER_EMBEDDED=false     an external broker (docker/compose.yml): no warning about the embedded AMQP acceptor
#   JAVA_OPTS                           extra JVM options
set -euo pipefail

jar=${ORIGINHUB_JAR:-origin-hub.jar}

if [[ "${ORIGINHUB_DEMO:-false}" == "true" ]]; then
  echo "origin-hub: DEMO MODE (ORIGINHUB_DEMO=true): self-signed keys and generated secrets, plaintext listeners. Not for production." >&2
  # shellcheck disable=SC2086 # JAVA_OPTS holds several options
  exec java ${JAVA_OPTS:-} -jar "$jar" --originhub.demo.enabled=true "$@"
fi

required_secrets=${ORIGINHUB_REQUIRED_SECRETS:-"ORIGINHUB_BROKER_PASSWORD ORIGINHUB_OPERATOR_PASSWORD ORIGINHUB_AR_KEY_PASSWORD ORIGINHUB_BR_KEY_PASSWORD ORIGINHUB_PARTNER_AR_PASSWORD ORIGINHUB_PARTNER_BR_PASSWORD ORIGINHUB_SW_AR_PASSWORD ORIGINHUB_SW_BR_PASSWORD"}
required_files=${ORIGINHUB_REQUIRED_FILES:-"data/keys/AR.p12 data/keys/BR.p12 data/keys/AR.pem data/keys/BR.pem"}

missing=()
for name in $required_secrets; do
  [[ -n "${!name:-}" ]] || missing+=("environment variable $name")
done
for file in $required_files; do
  [[ -f "$file" ]] || missing+=("file $file")
done
if (( ${#missing[@]} > 0 )); then
  echo "origin-hub: refusing to start without real keys and secrets (demo mode is off). Missing:" >&2
  printf '  - %s\n' "${missing[@]}" >&2
  echo "Give them (docker run -e ..., a volume on /opt/origin-hub/data/keys), or run the demo with -e ORIGINHUB_DEMO=true." >&2
  exit 78 # EX_CONFIG
fi

# The embedded broker's AMQP acceptor only: an external broker's TLS is its own (docker/artemis/, docker/compose.yml
# sets ORIGINHUB_BROKER_EMBEDDED=false).
if [[ "${ORIGINHUB_BROKER_EMBEDDED:-true}" != "false" && "${ORIGINHUB_BROKER_AMQPTLS_ENABLED:-false}" != "true" ]]; then
  echo "origin-hub: WARNING: the partners' AMQP acceptor is plaintext; set ORIGINHUB_BROKER_AMQPTLS_ENABLED=true and its key store (README, Security)." >&2
fi
# shellcheck disable=SC2086
exec java ${JAVA_OPTS:-} -jar "$jar" --originhub.demo.enabled=false "$@"
