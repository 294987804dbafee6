#!/usr/bin/env bash
# Starts the hub's external ActiveMQ Artemis broker (docker/artemis/Dockerfile). Before the broker starts, at every
# start, it writes from the environment what is the broker operator's (README, "Scaling out"):
#   - etc/artemis-users.properties and etc/artemis-roles.properties: the hub's account (role hub), each partner hub's
#     account (role partner-account-<account>), each single window's account (role single-window-<CC>), and an
#     optional administrator (role amq);
#   - etc/broker.xml: config/artemis/broker.xml, with TLS on the partners' AMQP acceptor when it is on (the default).
# It refuses to start (exit 78), naming everything missing, when a password or the TLS key store is not given.
#
#   BROKER_HUB_USER                      the hub's account (default hub; the hubs' originhub.broker.hub-user)
#   BROKER_HUB_PASSWORD                  its password (required; the hubs' originhub.broker.hub-password)
#   BROKER_PARTNER_ACCOUNTS              partner hubs' accounts, space-separated, e.g. "partner-br" (their
#                                        originhub.broker.accounts entries with role PARTNER)
#   BROKER_SINGLE_WINDOW_ACCOUNTS        single windows' accounts as account:CC, space-separated, e.g. "sw-ar:AR"
#   BROKER_PASSWORD_<ACCOUNT>            each such account's password (required), the account name upper-cased with
#                                        every other character than A-Z and 0-9 as _, e.g. BROKER_PASSWORD_PARTNER_BR
#   BROKER_ADMIN_USER / _PASSWORD        an administrator (role amq: everything the hub's queues do not restrict);
#                                        none unless BROKER_ADMIN_PASSWORD is set (user default admin)
#   BROKER_AMQP_TLS                      true (default) or false (plaintext AMQP on 5672: trying out only)
#   BROKER_AMQP_TLS_KEYSTORE             the broker's PKCS12 key store (default /opt/origin-hub-broker/tls/amqp.p12)
#   BROKER_AMQP_TLS_KEYSTORE_PASSWORD    its password (required with TLS)
#   BROKER_AMQP_TLS_TRUSTSTORE / _PASSWORD  optional: mutual TLS, the partners' client certificates (PKCS12)
#   BROKER_HOST, BROKER_CORE_PORT, BROKER_AMQP_PORT   listen address and ports (0.0.0.0, 61616, 5671 or 5672)
#   BROKER_MAX_MESSAGE_BYTES             the hubs' originhub.limits.max-message-bytes (default 10485760)
#   JAVA_ARGS_APPEND                     extra JVM options (e.g. -Xmx2G), read by the instance's bin/artemis
#
# Passwords of accounts may hold any printable ASCII character. Key store passwords and paths become parameters of the
# acceptor's URI (separated by ';'), so they are limited to letters, digits and . _ ~ - (openssl rand -hex 24).
set -euo pipefail
umask 077 # the files written here hold passwords: owner-only

instance=${ARTEMIS_INSTANCE_DIR:-/var/lib/artemis-instance}
template=${BROKER_XML_TEMPLATE:-/opt/origin-hub-broker/broker.xml}
etc=$instance/etc

problems=()
problem() { problems+=("$1"); }

account_pattern='^[A-Za-z0-9][A-Za-z0-9._-]*$'
uri_safe='^[A-Za-z0-9._~-]+$'
path_safe='^/[A-Za-z0-9._/-]+$'

# The variable that holds an account's password: partner-br -> BROKER_PASSWORD_PARTNER_BR.
password_variable() {
  local name=${1^^}
  printf 'BROKER_PASSWORD_%s' "${name//[^A-Z0-9]/_}"
}

# A value as java.util.Properties reads it back unchanged (the broker's PropertiesLoginModule loads these files).
properties_value() {
  local v=${1//\\/\\\\}
  if [[ $v == [[:space:]]* ]]; then
    v="\\$v"
  fi
  printf '%s' "$v"
}

declare -A password_of=() role_of=()
accounts=()

add_account() { # name role variable
  local name=$1 role=$2 variable=$3 value
  if [[ ! $name =~ $account_pattern ]]; then
    problem "account name '$name' (letters, digits, . _ -; not starting with . _ -)"
    return
  fi
  if [[ -n ${role_of[$name]+x} ]]; then
    problem "account $name given twice"
    return
  fi
  value=${!variable:-}
  if [[ -z $value ]]; then
    problem "environment variable $variable (password of broker account $name)"
  elif [[ $value == *[$'\n\r']* ]] || LC_ALL=C grep -q '[^ -~]' <<< "$value"; then
    problem "environment variable $variable: printable ASCII only (no newline, no control or non-ASCII character)"
  elif [[ $value == ENC\(* ]]; then
    problem "environment variable $variable: a password starting with ENC( would be read as a masked one"
  fi
  accounts+=("$name")
  role_of[$name]=$role
  password_of[$name]=$value
}

hub_user=${BROKER_HUB_USER:-hub}
add_account "$hub_user" hub BROKER_HUB_PASSWORD
read -r -a partner_accounts <<< "${BROKER_PARTNER_ACCOUNTS:-}"
read -r -a single_window_accounts <<< "${BROKER_SINGLE_WINDOW_ACCOUNTS:-}"
for name in "${partner_accounts[@]}"; do
  add_account "$name" "partner-account-$name" "$(password_variable "$name")"
done
for entry in "${single_window_accounts[@]}"; do
  name=${entry%%:*}
  party=${entry#*:}
  if [[ $entry != *:* || ! $party =~ ^[A-Z]{2}$ ]]; then
    problem "BROKER_SINGLE_WINDOW_ACCOUNTS entry '$entry': account:CC with CC the party's ISO 3166-1 alpha-2 code, e.g. sw-ar:AR"
    continue
  fi
  add_account "$name" "single-window-$party" "$(password_variable "$name")"
done
if [[ -n ${BROKER_ADMIN_PASSWORD:-} ]]; then
  add_account "${BROKER_ADMIN_USER:-admin}" amq BROKER_ADMIN_PASSWORD
fi
if (( ${#partner_accounts[@]} == 0 )); then
  echo "origin-hub-broker: no partner accounts (BROKER_PARTNER_ACCOUNTS): no partner hub can send to this broker" >&2
fi

# Listen address and ports: they go into the JVM's command line through etc/artemis.profile.
tls=${BROKER_AMQP_TLS:-true}
case $tls in
  true) export BROKER_AMQP_PORT=${BROKER_AMQP_PORT:-5671} ;;
  false) export BROKER_AMQP_PORT=${BROKER_AMQP_PORT:-5672} ;;
  *) problem "BROKER_AMQP_TLS=$tls (true or false)" ;;
esac
export BROKER_CORE_PORT=${BROKER_CORE_PORT:-61616} BROKER_HOST=${BROKER_HOST:-0.0.0.0} BROKER_HUB_USER=$hub_user
export BROKER_MAX_MESSAGE_BYTES=${BROKER_MAX_MESSAGE_BYTES:-10485760}
for variable in BROKER_CORE_PORT BROKER_AMQP_PORT BROKER_MAX_MESSAGE_BYTES; do
  [[ ${!variable:-} =~ ^[0-9]+$ ]] || problem "$variable=${!variable:-} (a number)"
done
[[ $BROKER_HOST =~ ^[A-Za-z0-9.:_-]+$ ]] || problem "BROKER_HOST=$BROKER_HOST (an address or host name)"

# TLS on the partners' AMQP acceptor: parameters of its URI (Artemis' Netty acceptor), as the embedded broker's
# originhub.broker.amqp-tls gives them (org.originhub.broker.EmbeddedBrokerConfiguration).
tls_parameters=""
store() { # path-variable default password-variable what: checks a key store, sets store_path
  local password=${!3:-}
  store_path=${!1:-$2}
  if [[ ! $store_path =~ $path_safe ]]; then
    problem "$1=$store_path: an absolute path of letters, digits and . _ / -"
  elif [[ ! -r $store_path ]]; then
    problem "file $store_path ($4, $1): mount it read-only, readable by uid $(id -u)"
  fi
  if [[ -z $password ]]; then
    problem "environment variable $3 (password of $4)"
  elif [[ ! $password =~ $uri_safe ]]; then
    problem "environment variable $3: letters, digits and . _ ~ - only (it becomes a parameter of the acceptor's URI)"
  fi
}
if [[ $tls == true ]]; then
  store BROKER_AMQP_TLS_KEYSTORE /opt/origin-hub-broker/tls/amqp.p12 BROKER_AMQP_TLS_KEYSTORE_PASSWORD "the AMQP acceptor's key store"
  tls_parameters=";sslEnabled=true;keyStoreType=PKCS12;keyStorePath=$store_path;keyStorePassword=${BROKER_AMQP_TLS_KEYSTORE_PASSWORD:-}"
  if [[ -n ${BROKER_AMQP_TLS_TRUSTSTORE:-} ]]; then
    store BROKER_AMQP_TLS_TRUSTSTORE "" BROKER_AMQP_TLS_TRUSTSTORE_PASSWORD "the partners' client certificates"
    tls_parameters+=";needClientAuth=true;trustStoreType=PKCS12;trustStorePath=$store_path;trustStorePassword=${BROKER_AMQP_TLS_TRUSTSTORE_PASSWORD:-}"
  fi
fi

[[ -r $template ]] || problem "file $template (config/artemis/broker.xml, copied there by the image)"
[[ -x $instance/bin/artemis ]] || problem "the broker instance $instance (made by the image's artemis create)"

if (( ${#problems[@]} > 0 )); then
  echo "origin-hub-broker: refusing to start. Missing or invalid:" >&2
  printf '  - %s\n' "${problems[@]}" >&2
  echo "See docker/README.md (docker/.env.example lists every variable)." >&2
  exit 78 # EX_CONFIG
fi
if [[ $tls != true ]]; then
  echo "origin-hub-broker: WARNING: the partners' AMQP acceptor is plaintext (BROKER_AMQP_TLS=false): for trying out only." >&2
fi

# etc/broker.xml: the template, with the TLS parameters added to the AMQP acceptor's URI (its one line in the
# template). Written whole to a temporary file and moved into place: a restart never sees a half-written file.
AMQP_TLS_PARAMETERS=$tls_parameters awk '
  index($0, "<acceptor name=\"amqp\">") {
    end = index($0, "</acceptor>")
    if (end == 0) { exit 2 }
    $0 = substr($0, 1, end - 1) ENVIRON["AMQP_TLS_PARAMETERS"] substr($0, end)
    found++
  }
  { print }
  END { if (found != 1) { exit 3 } }
' "$template" > "$etc/broker.xml.tmp" || {
  echo "origin-hub-broker: $template has no single-line <acceptor name=\"amqp\"> (config/artemis/broker.xml changed?)" >&2
  rm -f "$etc/broker.xml.tmp"
  exit 78
}
mv -f "$etc/broker.xml.tmp" "$etc/broker.xml"

# The accounts (PropertiesLoginModule, etc/login.config: user = password; role = user,user).
{
  echo "# Written by docker/artemis/entrypoint.sh at each start, from the environment. Edits here are lost."
  for name in "${accounts[@]}"; do
    printf '%s = %s\n' "$name" "$(properties_value "${password_of[$name]}")"
  done
} > "$etc/artemis-users.properties.tmp"
declare -A users_of=()
roles=()
for name in "${accounts[@]}"; do
  role=${role_of[$name]}
  if [[ -z ${users_of[$role]+x} ]]; then
    roles+=("$role")
    users_of[$role]=$name
  else
    users_of[$role]+=",$name"
  fi
done
{
  echo "# Written by docker/artemis/entrypoint.sh at each start, from the environment. Edits here are lost."
  for role in "${roles[@]}"; do
    printf '%s = %s\n' "$role" "${users_of[$role]}"
  done
} > "$etc/artemis-roles.properties.tmp"
mv -f "$etc/artemis-users.properties.tmp" "$etc/artemis-users.properties"
mv -f "$etc/artemis-roles.properties.tmp" "$etc/artemis-roles.properties"

for role in "${roles[@]}"; do
  echo "origin-hub-broker: role $role: ${users_of[$role]}"
done
echo "origin-hub-broker: CORE on $BROKER_HOST:$BROKER_CORE_PORT, AMQP on $BROKER_HOST:$BROKER_AMQP_PORT ($([[ $tls == true ]] && echo TLS || echo plaintext))"

# The broker reads its passwords from the files above: none stays in its environment.
unset BROKER_HUB_PASSWORD BROKER_ADMIN_PASSWORD BROKER_AMQP_TLS_KEYSTORE_PASSWORD BROKER_AMQP_TLS_TRUSTSTORE_PASSWORD
for variable in $(compgen -v BROKER_PASSWORD_ || true); do
  unset "$variable"
done
unset password_of tls_parameters

exec "$instance/bin/artemis" run "$@"
