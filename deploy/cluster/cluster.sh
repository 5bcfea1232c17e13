#!/usr/bin/env bash
# The production topology on one machine, without Docker (make cluster / make cluster-down; README
# "A real cluster"): the upstream Temporal server built from the module fengqiao pins, its frontend,
# history, matching and internal-worker services as separate processes on loopback (ringpop membership,
# NUM_HISTORY_SHARDS shards) over PostgreSQL, the namespace and the case workflow's search attributes
# registered through the operator API (fengqiao cluster-setup), two `fengqiao serve` behind nginx and two
# `fengqiao worker`, the projection in PostgreSQL.
#
#   deploy/cluster/cluster.sh up              build what is missing, set up the schemas, start everything
#   deploy/cluster/cluster.sh down            stop everything (SIGTERM, then SIGKILL after 30 s)
#   deploy/cluster/cluster.sh status          what runs
#   deploy/cluster/cluster.sh kill9 NAME      SIGKILL one process (fault tests): temporal-history, serve-1, ...
#   deploy/cluster/cluster.sh start NAME      start one process again (after kill9)
#   deploy/cluster/cluster.sh build           only build the binaries
#
# Variables: deploy/cluster.env (shared with docker-compose.yml) for versions, shards, database and
# namespace names; any of them set in the environment wins. Besides: CLUSTER_DATA (state, logs, pids;
# default .fengqiao/cluster), CLUSTER_PORT_BASE (default 17200: every port is base + a fixed offset),
# PG_HOST, PG_PORT, PG_USER, PG_PASSWORD (default 127.0.0.1, 5432, postgres, none), CLUSTER_PROXY
# (nginx, the default when nginx is installed, or "none": the two serves' ports are used alternately),
# CLUSTER_TIMEOUT (seconds each ready check waits, default 180), FENGQIAO_BIN (a fengqiao binary to run
# instead of building one).
set -euo pipefail

here=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
root=$(cd "$here/../.." && pwd)

# deploy/cluster.env, without overriding what the environment already sets
while IFS='=' read -r key value; do
	[[ -z "$key" || "$key" == \#* ]] && continue
	if [[ -z "${!key:-}" ]]; then export "$key=$value"; fi
done <"$root/deploy/cluster.env"

export PG_HOST=${PG_HOST:-127.0.0.1} PG_PORT=${PG_PORT:-5432} PG_USER=${PG_USER:-postgres} PG_PASSWORD=${PG_PASSWORD:-}
data=${CLUSTER_DATA:-$root/.fengqiao/cluster}
mkdir -p "$data"
data=$(cd "$data" && pwd)
base=${CLUSTER_PORT_BASE:-17200}
timeout=${CLUSTER_TIMEOUT:-180}
# Temporal's SQL membership table (cluster_membership) keeps ports as smallint
((base > 0 && base + 30 < 32768)) || { echo "cluster: CLUSTER_PORT_BASE=$base: want a base below 32738 (Temporal keeps membership ports as smallint)" >&2; exit 1; }
proxy=${CLUSTER_PROXY:-}
if [[ -z "$proxy" ]]; then
	if command -v nginx >/dev/null 2>&1 || [[ -x /usr/sbin/nginx ]]; then proxy=nginx; else proxy=none; fi
fi
export FRONTEND_PORT=$((base + 0)) FRONTEND_MEMBERSHIP_PORT=$((base + 1)) FRONTEND_HTTP_PORT=$((base + 2))
export HISTORY_PORT=$((base + 3)) HISTORY_MEMBERSHIP_PORT=$((base + 4))
export MATCHING_PORT=$((base + 5)) MATCHING_MEMBERSHIP_PORT=$((base + 6))
export WORKER_PORT=$((base + 7)) WORKER_MEMBERSHIP_PORT=$((base + 8))
serve1_port=$((base + 20)) serve2_port=$((base + 21)) proxy_port=$((base + 22))
declare -A metrics_port=([frontend]=$((base + 10)) [history]=$((base + 11)) [matching]=$((base + 12)) [worker]=$((base + 13)))
all_ports=($FRONTEND_PORT $FRONTEND_MEMBERSHIP_PORT $FRONTEND_HTTP_PORT $HISTORY_PORT $HISTORY_MEMBERSHIP_PORT
	$MATCHING_PORT $MATCHING_MEMBERSHIP_PORT $WORKER_PORT $WORKER_MEMBERSHIP_PORT
	${metrics_port[frontend]} ${metrics_port[history]} ${metrics_port[matching]} ${metrics_port[worker]}
	$serve1_port $serve2_port $proxy_port)

# the server binaries are built once per Temporal version and kept outside the checkout, so that a
# fresh clone (CI) finds them: CLUSTER_CACHE, default ~/.cache/fengqiao
bin=${CLUSTER_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/fengqiao}/bin/temporal-$TEMPORAL_VERSION
fengqiao=${FENGQIAO_BIN:-$data/bin/fengqiao}
frontend=127.0.0.1:$FRONTEND_PORT
pgurl() { # the DSN of database $1
	local auth=$PG_USER
	[[ -n "$PG_PASSWORD" ]] && auth="$PG_USER:$PG_PASSWORD"
	echo "postgres://$auth@$PG_HOST:$PG_PORT/$1?sslmode=disable"
}
database_url=$(pgurl "$FENGQIAO_DB")

say() { echo "cluster: $*" >&2; }
die() {
	say "FAILED: $*"
	exit 1
}

# --- building -------------------------------------------------------------------------------------

build() {
	cd "$root"
	local pinned
	pinned=$(go list -m -f '{{.Version}}' go.temporal.io/server)
	[[ "$pinned" == "v$TEMPORAL_VERSION" ]] ||
		die "deploy/cluster.env says TEMPORAL_VERSION=$TEMPORAL_VERSION but go.mod pins go.temporal.io/server $pinned"
	if [[ ! -x "$bin/temporal-server" || ! -x "$bin/temporal-sql-tool" ]]; then
		say "building temporal-server and temporal-sql-tool $TEMPORAL_VERSION into $bin (once; a few minutes)"
		rm -rf "$bin.tmp" && mkdir -p "$bin.tmp"
		go build -o "$bin.tmp/temporal-server" go.temporal.io/server/cmd/server
		go build -o "$bin.tmp/temporal-sql-tool" go.temporal.io/server/cmd/tools/sql
		rm -rf "$bin" && mv "$bin.tmp" "$bin"
	fi
	if [[ -z "${FENGQIAO_BIN:-}" ]]; then
		mkdir -p "$data/bin"
		go build -o "$fengqiao.tmp" ./cmd/fengqiao && mv "$fengqiao.tmp" "$fengqiao"
	fi
}

# --- processes --------------------------------------------------------------------------------------

pidfile() { echo "$data/pids/$1.pid"; }
alive() { # process $1 runs
	local f
	f=$(pidfile "$1")
	[[ -f "$f" ]] && kill -0 "$(cat "$f")" 2>/dev/null
}

port_free() { ! (exec 3<>"/dev/tcp/127.0.0.1/$1") 2>/dev/null; }

wait_port() { # name port
	local deadline=$((SECONDS + timeout))
	until ! port_free "$2"; do
		alive "$1" || die "$1 exited before listening on $2; see $data/logs/$1.log: $(tail -5 "$data/logs/$1.log")"
		((SECONDS < deadline)) || die "$1 not listening on $2 within ${timeout}s; see $data/logs/$1.log"
		sleep 0.5
	done
}

wait_http() { # name url
	local deadline=$((SECONDS + timeout))
	until curl -fs -o /dev/null --max-time 5 "$2"; do
		[[ "$1" == nginx ]] || alive "$1" || die "$1 exited; see $data/logs/$1.log: $(tail -5 "$data/logs/$1.log")"
		((SECONDS < deadline)) || die "$2 not answering within ${timeout}s; see $data/logs/$1.log"
		sleep 0.5
	done
}

# spawn NAME COMMAND...: run in a session of its own (a terminal's ^C or a CI step ending does not reach
# it), output to logs/NAME.log, pid to pids/NAME.pid
spawn() {
	local name=$1
	shift
	mkdir -p "$data/logs" "$data/pids"
	if alive "$name"; then
		say "$name already runs (pid $(cat "$(pidfile "$name")"))"
		return
	fi
	echo "--- $(date -u +%FT%TZ) start" >>"$data/logs/$name.log"
	setsid "$@" </dev/null >>"$data/logs/$name.log" 2>&1 &
	echo $! >"$(pidfile "$name")"
}

fengqiao_env() {
	echo TEMPORAL_ADDRESS="$frontend" TEMPORAL_NAMESPACE="$TEMPORAL_NAMESPACE" DATABASE_URL="$database_url" \
		FENGQIAO_DATA="$data/fengqiao" FENGQIAO_KEY="$(cat "$data/fengqiao.key")" \
		FENGQIAO_POLICY="${FENGQIAO_POLICY:-}" FENGQIAO_LOG_LEVEL="${FENGQIAO_LOG_LEVEL:-INFO}" \
		FENGQIAO_ADMIN_PASSWORD="${FENGQIAO_ADMIN_PASSWORD:-}" FENGQIAO_TRUSTED_PROXIES=127.0.0.1
}

start_one() { # NAME, and wait until it is ready
	local name=$1
	case "$name" in
	temporal-frontend | temporal-history | temporal-matching | temporal-worker)
		local svc=${name#temporal-}
		spawn "$name" env METRICS_PORT="${metrics_port[$svc]}" DYNAMIC_CONFIG_FILE="$here/dynamicconfig.yaml" \
			"$bin/temporal-server" --config-file "$here/temporal.yaml" --allow-no-auth start --service "$svc"
		local port_var=${svc^^}_PORT
		wait_port "$name" "${!port_var}"
		;;
	serve-1 | serve-2)
		local port=$serve1_port
		[[ "$name" == serve-2 ]] && port=$serve2_port
		# shellcheck disable=SC2046
		spawn "$name" env $(fengqiao_env) FENGQIAO_ADDR="127.0.0.1:$port" "$fengqiao" serve
		wait_http "$name" "http://127.0.0.1:$port/readyz"
		;;
	worker-1 | worker-2)
		# shellcheck disable=SC2046
		spawn "$name" env $(fengqiao_env) "$fengqiao" worker
		sleep 1
		alive "$name" || die "$name exited; see $data/logs/$name.log: $(tail -5 "$data/logs/$name.log")"
		;;
	nginx)
		mkdir -p "$data/nginx"
		cat >"$data/nginx/nginx.conf" <<-EOF
			# written by deploy/cluster/cluster.sh: the reverse proxy in front of the two fengqiao serve
			daemon off;
			worker_processes 1;
			pid $data/nginx/nginx.pid;
			error_log $data/logs/nginx.log warn;
			events { worker_connections 1024; }
			http {
			  access_log off;
			  client_body_temp_path $data/nginx/body;
			  proxy_temp_path $data/nginx/proxy;
			  fastcgi_temp_path $data/nginx/fastcgi;
			  uwsgi_temp_path $data/nginx/uwsgi;
			  scgi_temp_path $data/nginx/scgi;
			  client_max_body_size 12m;
			  upstream fengqiao {
			    server 127.0.0.1:$serve1_port max_fails=1 fail_timeout=5s;
			    server 127.0.0.1:$serve2_port max_fails=1 fail_timeout=5s;
			    keepalive 16;
			  }
			  server {
			    listen 127.0.0.1:$proxy_port;
			    location / {
			      proxy_pass http://fengqiao;
			      proxy_http_version 1.1;
			      proxy_set_header Connection "";
			      proxy_set_header Host \$host;
			      proxy_set_header X-Forwarded-For \$proxy_add_x_forwarded_for;
			      proxy_set_header X-Forwarded-Proto \$scheme;
			      # a serve that dies mid-request: only requests that cannot have acted go to the other
			      # (POSTs are not retried by nginx; the client retries them with its Idempotency-Key)
			      proxy_next_upstream error timeout http_502 http_503;
			      proxy_read_timeout 120s;
			    }
			  }
			}
		EOF
		local nginx_bin
		nginx_bin=$(command -v nginx || echo /usr/sbin/nginx)
		spawn nginx "$nginx_bin" -p "$data/nginx" -c "$data/nginx/nginx.conf"
		wait_http nginx "http://127.0.0.1:$proxy_port/readyz"
		;;
	*) die "no process named $name (temporal-frontend, temporal-history, temporal-matching, temporal-worker, serve-1, serve-2, worker-1, worker-2, nginx)" ;;
	esac
	say "$name up (pid $(cat "$(pidfile "$name")"))"
}

stop_one() { # NAME [signal]
	local name=$1 sig=${2:-TERM} f pid
	f=$(pidfile "$name")
	[[ -f "$f" ]] || return 0
	pid=$(cat "$f")
	if kill -0 "$pid" 2>/dev/null; then
		kill "-$sig" "$pid" 2>/dev/null || true
		local deadline=$((SECONDS + 30))
		while kill -0 "$pid" 2>/dev/null; do
			if ((SECONDS >= deadline)); then
				say "$name (pid $pid) still runs 30 s after SIG$sig: SIGKILL"
				kill -KILL "$pid" 2>/dev/null || true
			fi
			sleep 0.2
		done
	fi
	rm -f "$f"
}

# --- schema -----------------------------------------------------------------------------------------

sqltool() { # DB args...
	local db=$1
	shift
	SQL_PASSWORD="$PG_PASSWORD" "$bin/temporal-sql-tool" --plugin postgres12 --ep "$PG_HOST" -p "$PG_PORT" \
		-u "$PG_USER" --db "$db" "$@"
}

schema() {
	local dir
	dir=$(cd "$root" && go list -m -f '{{.Dir}}' go.temporal.io/server)/schema/postgresql/v12
	local deadline=$((SECONDS + timeout))
	until PGPASSWORD="$PG_PASSWORD" psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d postgres -Atqc 'select 1' >/dev/null 2>&1; do
		((SECONDS < deadline)) || die "PostgreSQL at $PG_HOST:$PG_PORT (user $PG_USER) not answering"
		sleep 1
	done
	local db kind
	for pair in "$TEMPORAL_DB:temporal" "$TEMPORAL_VISIBILITY_DB:visibility"; do
		db=${pair%%:*} kind=${pair##*:}
		sqltool "$db" create-database >/dev/null 2>&1 || true # exists already: fine (checked next)
		if [[ -z "$(PGPASSWORD="$PG_PASSWORD" psql -h "$PG_HOST" -p "$PG_PORT" -U "$PG_USER" -d "$db" -Atqc "select to_regclass('schema_version')")" ]]; then
			say "setting up the $kind schema in database $db"
			sqltool "$db" setup-schema -v 0.0 >>"$data/logs/schema.log" 2>&1 || die "setup-schema $db; see $data/logs/schema.log"
		fi
		sqltool "$db" update-schema -d "$dir/$kind/versioned" >>"$data/logs/schema.log" 2>&1 || die "update-schema $db; see $data/logs/schema.log"
	done
	sqltool "$FENGQIAO_DB" create-database >/dev/null 2>&1 || true
	# shellcheck disable=SC2046
	env $(fengqiao_env) FENGQIAO_LOG_LEVEL=WARN "$fengqiao" migrate >>"$data/logs/schema.log" 2>&1 ||
		die "fengqiao migrate; see $data/logs/schema.log"
}

# --- commands ---------------------------------------------------------------------------------------

temporal_services=(temporal-history temporal-matching temporal-frontend temporal-worker)
fengqiao_procs=(worker-1 worker-2 serve-1 serve-2)

up() {
	local name running=0
	for name in "${temporal_services[@]}" "${fengqiao_procs[@]}" nginx; do
		alive "$name" && running=$((running + 1))
	done
	if ((running == 0)); then
		local busy=()
		for p in "${all_ports[@]}"; do port_free "$p" || busy+=("$p"); done
		((${#busy[@]} == 0)) || die "ports in use: ${busy[*]} (another cluster? set CLUSTER_PORT_BASE, or make cluster-down)"
	fi
	build
	mkdir -p "$data/logs" "$data/pids" "$data/fengqiao"
	if [[ ! -s "$data/fengqiao.key" ]]; then
		(umask 077 && head -c 32 /dev/urandom | base64 >"$data/fengqiao.key")
	fi
	schema
	for name in "${temporal_services[@]}"; do start_one "$name"; done
	say "registering namespace $TEMPORAL_NAMESPACE and the search attributes"
	# shellcheck disable=SC2046
	env $(fengqiao_env) FENGQIAO_SETUP_TIMEOUT="${timeout}s" "$fengqiao" cluster-setup >>"$data/logs/setup.log" 2>&1 ||
		die "fengqiao cluster-setup; see $data/logs/setup.log: $(tail -5 "$data/logs/setup.log")"
	for name in "${fengqiao_procs[@]}"; do start_one "$name"; done
	local url="http://127.0.0.1:$serve1_port"
	if [[ "$proxy" == nginx ]]; then
		start_one nginx
		url="http://127.0.0.1:$proxy_port"
	fi
	cat >"$data/cluster.state" <<-EOF
		# written by deploy/cluster/cluster.sh up: where this cluster answers (read by the tests' cluster mode)
		CLUSTER_SCRIPT=$here/cluster.sh
		CLUSTER_DATA=$data
		CLUSTER_PORT_BASE=$base
		TEMPORAL_ADDRESS=$frontend
		TEMPORAL_NAMESPACE=$TEMPORAL_NAMESPACE
		DATABASE_URL=$database_url
		FENGQIAO_DATA=$data/fengqiao
		FENGQIAO_URL=$url
		SERVE_URLS=http://127.0.0.1:$serve1_port,http://127.0.0.1:$serve2_port
		PG_HOST=$PG_HOST
		PG_PORT=$PG_PORT
	EOF
	say "ready: Fengqiao at $url (serves on :$serve1_port and :$serve2_port), Temporal frontend $frontend, logs in $data/logs"
}

down() {
	local name
	for name in nginx serve-1 serve-2 worker-1 worker-2 temporal-worker temporal-frontend temporal-matching temporal-history; do
		if alive "$name"; then say "stopping $name"; fi
		stop_one "$name"
	done
	rm -f "$data/cluster.state"
	say "stopped"
}

status() {
	local name
	for name in "${temporal_services[@]}" "${fengqiao_procs[@]}" nginx; do
		if alive "$name"; then echo "$name running (pid $(cat "$(pidfile "$name")"))"; else echo "$name stopped"; fi
	done
}

case "${1:-}" in
up) up ;;
down) down ;;
status) status ;;
build) build ;;
kill9) stop_one "${2:?kill9 NAME}" KILL ;;
stop) stop_one "${2:?stop NAME}" ;;
start) start_one "${2:?start NAME}" ;;
*)
	sed -n '2,/^set -euo/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//' >&2
	exit 2
	;;
esac
