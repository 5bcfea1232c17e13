#!/usr/bin/env bash
# The cluster pass of `make test` (it runs after the embedded pass, when FENGQIAO_TEST_CLUSTER_PASS=1, as
# .ci/run sets it): a make cluster of its own (CI's ports and databases, away from a cluster a developer
# may be running), from empty databases, then the API stories and the reliability suites once more with
# every stack on it (FENGQIAO_TEST_CLUSTER; the embedded pass of those packages is skipped here, it has
# just run), then the cluster is stopped. The fault suite (TestClusterFaults) starts a private cluster of
# its own from the same script. The server binaries are built once per Temporal version and cached in
# ~/.cache/fengqiao. Run after the embedded pass, not beside it: on 2 cores the idle cluster slows the
# embedded suites past their start-up timeouts.
set -euo pipefail
root=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
cd "$root"
GO=${GO:-go}

if ! command -v nginx >/dev/null 2>&1 && [ ! -x /usr/sbin/nginx ]; then
	if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
		echo "cluster pass: installing nginx-light (the reverse proxy in front of the serves)"
		DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null ||
			{ apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq nginx-light >/dev/null; } ||
			echo "cluster pass: no nginx; the tests use the two serves alternately"
	fi
fi

export CLUSTER_DATA="${CLUSTER_DATA:-$root/.fengqiao/ci-cluster}"
export CLUSTER_PORT_BASE="${CLUSTER_PORT_BASE:-17500}"
export TEMPORAL_DB=ci_temporal TEMPORAL_VISIBILITY_DB=ci_temporal_visibility FENGQIAO_DB=ci_fengqiao
pg="-h ${PG_HOST:-127.0.0.1} -p ${PG_PORT:-5432} -U ${PG_USER:-postgres}"
deploy/cluster/cluster.sh down >/dev/null 2>&1 || true # what a killed earlier run left
for db in "$TEMPORAL_DB" "$TEMPORAL_VISIBILITY_DB" "$FENGQIAO_DB"; do
	# shellcheck disable=SC2086
	psql $pg -d postgres -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null
done
trap 'deploy/cluster/cluster.sh down >/dev/null 2>&1 || true' EXIT
echo "cluster pass: starting the cluster (logs in $CLUSTER_DATA/logs)"
started=$SECONDS
if ! deploy/cluster/cluster.sh up; then
	echo "cluster pass: the cluster did not come up; the last lines of its logs:" >&2
	tail -n 20 "$CLUSTER_DATA"/logs/*.log >&2 || true
	exit 1
fi
echo "cluster pass: cluster up in $((SECONDS - started)) s"
# Without the race detector by default: the embedded pass has just run these same tests under -race; this
# pass proves the topology (separate services, two serves, two workers, PostgreSQL), and -race made its
# build and run several times slower on 2 cores. FENGQIAO_CLUSTER_RACE=1 asks for it.
race=""
if [ "${FENGQIAO_CLUSTER_RACE:-0}" != 0 ]; then race=-race; fi
# Verbose into a log of its own, and each top-level test's verdict here: a green pass then shows which
# suites ran on the cluster (TestClusterFaults among them), not only "ok"; a failure shows its test's output.
log="$CLUSTER_DATA/logs/go-test.log"
set +e
FENGQIAO_TEST_CLUSTER="$CLUSTER_DATA" FENGQIAO_TEST_CLUSTER_ONLY=1 \
	$GO test $race -v -timeout 30m -count=1 ./api/ ./reliability/ >"$log" 2>&1
rc=$?
set -e
grep -E '^(--- (PASS|FAIL)|ok |FAIL|panic:)' "$log" || true
if [ "$rc" != 0 ]; then
	echo "cluster pass: FAILED; the failing tests' output (all of it in $log):" >&2
	awk '/^=== RUN/{buf=""} {buf=buf $0 "\n"} /^--- FAIL|^panic:|^FAIL/{printf "%s", buf; buf=""}' "$log" | tail -n 400 >&2
fi
exit "$rc"
