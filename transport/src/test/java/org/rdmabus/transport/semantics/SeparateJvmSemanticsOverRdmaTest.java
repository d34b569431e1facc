package org.rdmabus.transport.semantics;

/**
 * The event-bus semantics between JVMs with rdmabus on over the rdma provider: real verbs on a real (or Soft-RoCE)
 * device, every JVM's pool on the same device. It skips every test where no device is found; with
 * {@code -Drdmabus.verbs.required=true} it runs (native/src/test/vm/run-eventbus-tests.sh runs it on Soft-RoCE) and
 * a node that does not end up on the rdma channel fails it with its start-up line.
 */
class SeparateJvmSemanticsOverRdmaTest extends SeparateJvmSemanticsContract {

    @Override
    String provider() {
        return "rdma";
    }
}
