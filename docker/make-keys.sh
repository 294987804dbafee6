#!/usr/bin/env bash
# Makes the keys docker/compose.yml mounts, self-signed, for trying the two-party topology out (a real administration
# signs with a key its own PKI issued, and its broker presents a certificate its partners can check):
#
#   keys/ar/hub/     AR's hub instances (/opt/origin-hub/data/keys): AR.p12 (AR's signing key, alias origin-hub-ar),
#                    BR.pem (BR's signing certificate, pinned), br-broker-trust.p12 (BR's broker's TLS certificate)
#   keys/ar/broker/  AR's broker (/opt/origin-hub-broker/tls): amqp.p12 (TLS key of its AMQP acceptor, for ar-artemis)
#   keys/br/...      the same for Brazil
#   keys/AR.pem, keys/BR.pem, keys/ar-artemis.pem, keys/br-artemis.pem: the certificates, to look at or hand over
#
# Only keytool (in every JDK and JRE, e.g. the eclipse-temurin:17-jre image) is needed. The passwords are those of
# docker/.env, read from the environment. From the repository root:
#   set -a; . docker/.env; set +a; bash docker/make-keys.sh
# or, without a local Java, as root in the runtime image (which then gives each folder to the container's account):
#   docker run --rm --env-file docker/.env -v "$PWD/docker:/work" -w /work eclipse-temurin:17-jre bash make-keys.sh
# Existing files are kept: delete keys/ to start again.
#
# Extra names for a broker's certificate (a host name partners use beyond the compose network): AR_BROKER_TLS_NAMES,
# BR_BROKER_TLS_NAMES, e.g. "dns:broker.ar.example,ip:203.0.113.7" (keytool's SAN syntax).
set -euo pipefail
cd "$(dirname "$0")"
umask 077

HUB_UID=10001    # the hub image's origin-hub account (docker/Dockerfile)
BROKER_UID=10002 # the broker image's artemis account (docker/artemis/Dockerfile)

required=(AR_KEY_PASSWORD BR_KEY_PASSWORD AR_BROKER_TLS_KEYSTORE_PASSWORD BR_BROKER_TLS_KEYSTORE_PASSWORD
          AR_HUB_TRUSTSTORE_PASSWORD BR_HUB_TRUSTSTORE_PASSWORD)
missing=()
for name in "${required[@]}"; do
  [[ -n ${!name:-} ]] || missing+=("$name")
done
if (( ${#missing[@]} > 0 )); then
  echo "make-keys: set these (docker/.env): ${missing[*]}" >&2
  exit 78
fi
# These two kinds of password end up in URIs (the broker's acceptor, the hubs' amqps:// URL).
for name in AR_BROKER_TLS_KEYSTORE_PASSWORD BR_BROKER_TLS_KEYSTORE_PASSWORD AR_HUB_TRUSTSTORE_PASSWORD BR_HUB_TRUSTSTORE_PASSWORD; do
  [[ ${!name} =~ ^[A-Za-z0-9._~-]+$ ]] || { echo "make-keys: $name: letters, digits and . _ ~ - only (openssl rand -hex 24)" >&2; exit 78; }
done
command -v keytool > /dev/null || { echo "make-keys: keytool not found (any JDK or JRE has it)" >&2; exit 69; }

mkdir -p keys/ar/hub keys/ar/broker keys/br/hub keys/br/broker

# A party's signing key: RSA-3072, SHA256withRSA, KeyUsage digitalSignature + nonRepudiation, not a CA (as the hub's
# own demo keys, org.originhub.signature.DemoKeys), valid from yesterday for two years.
signing_key() { # CC lower-case-cc password-variable
  local cc=$1 lc=$2 pass=$3 store=keys/$2/hub/$1.p12
  if [[ ! -f $store ]]; then
    keytool -genkeypair -alias "origin-hub-$lc" -keyalg RSA -keysize 3072 -sigalg SHA256withRSA \
      -startdate -1d -validity 730 -dname "CN=Origin Hub signing key $cc (trial), O=Origin Hub trial, C=$cc" \
      -ext KeyUsage:critical=digitalSignature,nonRepudiation -ext BasicConstraints:critical=ca:false \
      -storetype PKCS12 -keystore "$store" -storepass:env "$pass"
    echo "make-keys: $store (alias origin-hub-$lc)"
  fi
  keytool -exportcert -rfc -alias "origin-hub-$lc" -storetype PKCS12 -keystore "$store" -storepass:env "$pass" \
    -file "keys/$cc.pem"
}

# A broker's TLS key for its AMQP acceptor, for the host name partners connect to (host verification stays on).
broker_key() { # lower-case-cc password-variable extra-names-variable
  local lc=$1 pass=$2 extra=${!3:-} store=keys/$1/broker/amqp.p12 names="dns:$1-artemis"
  [[ -z $extra ]] || names+=",$extra"
  if [[ ! -f $store ]]; then
    keytool -genkeypair -alias amqp -keyalg RSA -keysize 3072 -sigalg SHA256withRSA \
      -startdate -1d -validity 730 -dname "CN=$lc-artemis, O=Origin Hub trial" \
      -ext "SubjectAlternativeName=$names" -ext KeyUsage:critical=digitalSignature,keyEncipherment \
      -ext ExtendedKeyUsage=serverAuth \
      -storetype PKCS12 -keystore "$store" -storepass:env "$pass"
    echo "make-keys: $store ($names)"
  fi
  keytool -exportcert -rfc -alias amqp -storetype PKCS12 -keystore "$store" -storepass:env "$pass" \
    -file "keys/$lc-artemis.pem"
}

# A hub's trust store: the other party's broker certificate (PKCS12, trusted certificate entry).
trust_store() { # lower-case-cc-of-hub lower-case-cc-of-broker password-variable
  local store=keys/$1/hub/$2-broker-trust.p12
  if [[ ! -f $store ]]; then
    keytool -importcert -noprompt -alias "$2-artemis" -file "keys/$2-artemis.pem" \
      -storetype PKCS12 -keystore "$store" -storepass:env "$3"
    echo "make-keys: $store (trusts $2-artemis)"
  fi
}

signing_key AR ar AR_KEY_PASSWORD
signing_key BR br BR_KEY_PASSWORD
broker_key ar AR_BROKER_TLS_KEYSTORE_PASSWORD AR_BROKER_TLS_NAMES
broker_key br BR_BROKER_TLS_KEYSTORE_PASSWORD BR_BROKER_TLS_NAMES
trust_store ar br AR_HUB_TRUSTSTORE_PASSWORD
trust_store br ar BR_HUB_TRUSTSTORE_PASSWORD
# Each hub pins its partner's signing certificate.
cp keys/BR.pem keys/ar/hub/BR.pem
cp keys/AR.pem keys/br/hub/AR.pem

chmod 700 keys/ar/hub keys/ar/broker keys/br/hub keys/br/broker
chmod 600 keys/ar/hub/* keys/ar/broker/* keys/br/hub/* keys/br/broker/*
if [[ $(id -u) == 0 ]]; then
  chown -R "$HUB_UID:$HUB_UID" keys/ar/hub keys/br/hub
  chown -R "$BROKER_UID:$BROKER_UID" keys/ar/broker keys/br/broker
  echo "make-keys: keys/*/hub given to uid $HUB_UID (the hubs), keys/*/broker to uid $BROKER_UID (the brokers)"
else
  echo "make-keys: now give each folder to the account of the container that mounts it (owner-only files):"
  echo "  sudo chown -R $HUB_UID:$HUB_UID $PWD/keys/ar/hub $PWD/keys/br/hub"
  echo "  sudo chown -R $BROKER_UID:$BROKER_UID $PWD/keys/ar/broker $PWD/keys/br/broker"
fi
