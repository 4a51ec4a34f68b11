#!/usr/bin/env bash
# Installs and starts PostgreSQL for the store tests on a fresh Debian machine (run as root); prints the URL it made.
# Idempotent: an installed package, a running cluster, an existing role or database are left as they are.
set -euo pipefail

PG_USER="${READOUTS_PG_USER:-readouts}"
PG_PASSWORD="${READOUTS_PG_PASSWORD:-readouts}"
PG_DB="${READOUTS_PG_DB:-readouts_test}"
PG_PORT="${READOUTS_PG_PORT:-5432}"

log() { echo "ci_services: $*" >&2; }

install_postgresql() {
    if command -v pg_ctlcluster >/dev/null 2>&1 && ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1; then
        return
    fi
    log "installing postgresql"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update >&2
    apt-get install -y postgresql >&2
}

start_cluster() {
    # The Debian package creates one cluster; without systemd it must be started by hand.
    local version="" name=""
    read -r version name < <(pg_lsclusters --no-header | awk 'NR==1 {print $1, $2}') || true  # none yet is fine
    if [ -z "${version:-}" ]; then
        version="$(ls /usr/lib/postgresql | sort -V | tail -1)"
        name=main
        log "creating cluster $version/$name"
        pg_createcluster --port "$PG_PORT" "$version" "$name" >&2
    fi
    if ! pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1==v && $2==n {print $4}' | grep -q online; then
        log "starting cluster $version/$name"
        pg_ctlcluster "$version" "$name" start >&2
    fi
    PG_PORT="$(pg_lsclusters --no-header | awk -v v="$version" -v n="$name" '$1==v && $2==n {print $3}')"
}

as_postgres() { (cd / && runuser -u postgres -- psql -p "$PG_PORT" -v ON_ERROR_STOP=1 -qtA "$@"); }

create_role_and_database() {
    if [ "$(as_postgres -c "SELECT 1 FROM pg_roles WHERE rolname = '$PG_USER'")" != "1" ]; then
        log "creating role $PG_USER"
        as_postgres -c "CREATE ROLE \"$PG_USER\" LOGIN PASSWORD '$PG_PASSWORD'"
    fi
    if [ "$(as_postgres -c "SELECT 1 FROM pg_database WHERE datname = '$PG_DB'")" != "1" ]; then
        log "creating database $PG_DB"
        as_postgres -c "CREATE DATABASE \"$PG_DB\" OWNER \"$PG_USER\""
    fi
}

wait_until_ready() {
    for _ in $(seq 1 30); do
        if pg_isready -q -h 127.0.0.1 -p "$PG_PORT"; then return; fi
        sleep 1
    done
    log "postgresql did not accept connections on 127.0.0.1:$PG_PORT"
    exit 1
}

install_postgresql
start_cluster
wait_until_ready
create_role_and_database
echo "postgresql://$PG_USER:$PG_PASSWORD@127.0.0.1:$PG_PORT/$PG_DB"
