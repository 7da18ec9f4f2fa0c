#!/usr/bin/env bash
# Redis time per rate-limit decision (INFO commandstats usec_per_call of EVALSHA, and the server main thread's
# CPU per call) for this tree's scripts, on a redis-server of its own: see ScriptTime.java beside this file.
# Usage, from the repository root:
#   ratelimit/scripts/script-time.sh [--rounds 15] [--calls 100000] [--baseline GIT-REVISION]
# e.g. beside the scripts of issue 11, which had their own TIME code: --baseline 32b42ec
# The redis-server binary: $DISTKIT_REDIS_SERVER, else redis-server on PATH.
set -euo pipefail
cd "$(dirname "$0")/../.."
classpath=$(mktemp)
trap 'rm -f "$classpath"' EXIT
# the reactor resolves core's classes from core/target, nothing is installed
mvn -B -q -pl ratelimit -am test-compile dependency:build-classpath -Dmdep.outputFile="$classpath"
java -cp "ratelimit/target/classes:$(cat "$classpath")" ratelimit/scripts/ScriptTime.java "$@"
