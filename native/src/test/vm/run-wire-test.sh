#!/usr/bin/env bash
# run-wire-test.sh: RdmaWireTest across two Soft-RoCE VMs on a virtual wire (rxe-vm-pair.sh), the server in
# VM A (192.0.2.1) and the client in VM B (192.0.2.2). Build on the host first (mvn -B verify). Each side
# writes its Surefire report as TEST-...RdmaWireTest-<role>.xml.
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
cd "$here/../../../.."
[ -d native/target/test-classes/org/rdmabus/verbs/rdma ] \
  || { echo "run-wire-test: build first on the host: mvn -B verify" >&2; exit 2; }
side() {
  echo "JAVA_TOOL_OPTIONS='-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -XX:UseAVX=0' RXE_VM_WIRE_ROLE=$1" \
    "mvn -o -B -q -pl native surefire:test -Dtest=RdmaWireTest -Dsurefire.failIfNoSpecifiedTests=false" \
    "-Drdmabus.verbs.required=true -Dsurefire.reportNameSuffix=$1"
}
exec "$here/rxe-vm-pair.sh" "$(side server)" "$(side client)"
