package org.rdmabus.transport.semantics;

/**
 * The event-bus semantics between JVMs with rdmabus on over the soft fabric: every JVM's warm QP pool in the test's
 * shared-memory directory, with completion pollers, segmentation of large bodies and credits.
 */
class SeparateJvmSemanticsOverSoftFabricTest extends SeparateJvmSemanticsContract {

    @Override
    String provider() {
        return "soft";
    }
}
