#!/usr/bin/env bash
# run-verbs-tests.sh: run the tests that need real verbs (the rdma provider, DiSNI over this module's
# libdisni.so) inside the Soft-RoCE VM, in ONE VM boot, offline, with a C1-only JIT and a single test JVM.
#
#   native/src/test/vm/rxe-vm.sh --install      # once per machine, as root
#   mvn -B verify                               # on the host: compiles everything and fills ~/.m2
#   native/src/test/vm/run-verbs-tests.sh       # from anywhere in the repository
#
# The tests fail instead of skipping when no device shows up (-Drdmabus.verbs.required=true), so a broken
# VM cannot pass silently; only tests that are not applicable by design skip, and the last lines say how many
# ran and how many were not applicable. Extra arguments go to Maven (e.g. -Dtest=RdmaReliableQueuePairTest).
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

# What ran, from this run's reports (a skip's reason follows "TestAbortedException: " in them). A required run
# fails on a missing device, so every skip left must be one that is not applicable by design, whose reason says
# so; any other skip is counted apart and fails the script.
count() { cat "${files[@]}" | { grep -o "$1" || true; } | wc -l; }
mapfile -t files < <(find "${reports[@]}" -name 'TEST-*.xml' -newer "$marker")
if [ "${#files[@]}" -eq 0 ]; then
  echo "run-verbs-tests: no test reports were written (exit $rc) after $((SECONDS - started)) s" >&2
  exit $(( rc == 0 ? 1 : rc ))
fi
total=$(count '<testcase ')
not_applicable=$(count 'TestAbortedException: not applicable')
skipped=$(count '<skipped')
failed=$(( $(count '<failure') + $(count '<error') ))
ran=$(( total - skipped ))
echo "run-verbs-tests: $ran ran ($failed of them failed), $not_applicable not applicable," \
  "$(( skipped - not_applicable )) skipped otherwise, in $((SECONDS - started)) s"
for f in "${files[@]}"; do
  printf '  %s: %s tests, %s not applicable\n' "$(basename "$f" .xml | sed 's/^TEST-org.rdmabus.verbs.//')" \
    "$(grep -c "<testcase " "$f" || true)" "$(grep -c "TestAbortedException: not applicable" "$f" || true)"
done
if [ "$rc" -eq 0 ] && [ "$skipped" -ne "$not_applicable" ]; then
  echo "run-verbs-tests: a required run skipped tests that are not 'not applicable'" >&2
  rc=1
fi
exit "$rc"
