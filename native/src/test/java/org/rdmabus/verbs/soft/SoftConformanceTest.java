package org.rdmabus.verbs.soft;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.conformance.FabricConformanceTest;

/** Runs the conformance suite against the {@code soft} provider, in a private shared-memory directory. */
class SoftConformanceTest extends FabricConformanceTest {
    private static Path directory;

    @BeforeAll
    static void createDirectory() throws IOException {
        directory = SoftTestDirectories.create("conformance");
    }

    @AfterAll
    static void removeDirectory() throws IOException {
        SoftTestDirectories.delete(directory);
    }

    @Override
    protected NicOptions nicOptions() {
        return new NicOptions().provider(SoftFabric.NAME).directory(directory)
            .rnrTimeout(RNR_TIMEOUT).peerTimeout(PEER_TIMEOUT);
    }

    @Override
    protected boolean makeTargetLookDead(DcTarget deadTarget) {
        SoftFaults.lookDead(deadTarget, true);
        return true;
    }

    @Override
    protected boolean makePeerLookDead(ReliableQueuePair deadPeer) {
        SoftFaults.lookDead(deadPeer, true);
        return true;
    }
}
