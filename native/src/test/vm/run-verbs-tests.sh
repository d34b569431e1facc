#!/usr/bin/env bash
# run-verbs-tests.sh: run the tests that need real verbs (the rdma provider, DiSNI over this module's
# libdisni.so) inside the Soft-RoCE VM, in ONE VM boot, offline, with a C1-only JIT and a single test JVM.
#
#   native/src/test/vm/rxe-vm.sh --install      # once per machine, as root
#   mvn -B verify                               # on the host: compiles everything and fills ~/.m2
#   native/src/test/vm/run-verbs-tests.sh       # from anywhere in the repository
#
# The tests fail instead of skipping when no device shows up (-Drdmabus.verbs.required=true), so a broken
# VM cannot pass silently; only tests that are not applicable by design skip, and the last lines say, per class,
# how many ran, were not applicable or skipped otherwise; a class that ran no test fails the script. Extra
# arguments go to Maven (e.g. -Dtest=RdmaReliableQueuePairTest).
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../../../.." && pwd)
cd "$root"
[ -d native/target/test-classes/org/rdmabus/verbs/rdma ] \
  || { echo "run-verbs-tests: build first on the host: mvn -B verify (or mvn -B -pl native -am test-compile)" >&2; exit 2; }
[ -f native/target/classes/META-INF/native/linux-x86_64/librdmabus_verbs.so ] \
  || { echo "run-verbs-tests: the JNI libraries were not built (are libibverbs-dev and librdmacm-dev installed?)" >&2; exit 2; }

tests=${RDMABUS_VERBS_TESTS:-DisniLibraryTest,DisniEndpointTest,RdmaProbeTest,RdmaReliableQueuePairTest,RdmaDatagramQueuePairTest,RdmaConformanceTest,PoolOverRdmaTest}
# TCG emulation makes the JIT the bottleneck: C1 only, and the serial collector, in every JVM of the run.
# No AVX: with it, JIT-compiled code crashed the JVM under TCG's "-cpu max" (SIGILL) in measurement runs.
export JAVA_TOOL_OPTIONS="${JAVA_TOOL_OPTIONS:-} -XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:UseAVX=0"
export RXE_VM_ENV="${RXE_VM_ENV:-} JAVA_TOOL_OPTIONS"
export RXE_VM_TIMEOUT=${RXE_VM_TIMEOUT:-1080}
# The conformance suite's 100 000-message run carries frames of up to this many payload bytes (64 KiB outside
# the VM): under TCG every byte is emulated. Measured here, quiet host: 1 KiB took 6.9 s, 4 KiB 33.5 s of the
# run's 75 s deadline (and a busy host makes it several times slower).
integrity_max_payload=${RDMABUS_INTEGRITY_MAX_PAYLOAD:-1024}
reports=(native/target/surefire-reports pool/target/surefire-reports)
mkdir -p "${reports[@]}"
marker=$(mktemp native/target/.run-verbs-tests.XXXXXX)
trap 'rm -f "$marker"' EXIT
started=$SECONDS
rc=0
"$here/rxe-vm.sh" mvn -o -B -pl native,pool surefire:test -Dtest="$tests" -Dsurefire.failIfNoSpecifiedTests=false \
  -Drdmabus.verbs.required=true -Drdmabus.conformance.integrityMaxPayload="$integrity_max_payload" "$@" || rc=$?

# What ran, per class, from this run's reports (surefire-counts.sh). A required run fails on a missing device, so
# every skip left must be one that is not applicable by design, whose reason says so; any other skip, and a class
# that ran no test at all (a class-level skip leaves no test in the report), fails the script.
. "$here/surefire-counts.sh"
echo "run-verbs-tests: finished in $((SECONDS - started)) s (exit $rc)"
surefire_counts run-verbs-tests "$marker" "$(surefire_filter "$tests" "$@")" "${reports[@]}" || rc=$(( rc == 0 ? 1 : rc ))
exit "$rc"
