package org.rdmabus.bench.rdma;

import com.ibm.disni.RdmaActiveEndpoint;
import com.ibm.disni.RdmaActiveEndpointGroup;
import com.ibm.disni.RdmaServerEndpoint;
import com.ibm.disni.verbs.IbvWC;
import com.ibm.disni.verbs.RdmaCmId;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.rdmabus.verbs.rdma.DisniLibrary;

/**
 * A cold connection through rdma_cm, with DiSNI's endpoint API over this project's libdisni.so: resolve the
 * address and route, create the queue pairs, connect and accept, until both ends are established.
 */
final class RdmaCmConnect implements AutoCloseable {
    private final RdmaActiveEndpointGroup<Endpoint> serverGroup;
    private final RdmaActiveEndpointGroup<Endpoint> clientGroup;
    private final RdmaServerEndpoint<Endpoint> listener;
    private final InetSocketAddress address;
    private final ExecutorService acceptor = Executors.newSingleThreadExecutor(r -> {
        Thread thread = new Thread(r, "rdma-cm-accept");
        thread.setDaemon(true);
        return thread;
    });

    /** @param address where the server listens: an address of the RDMA device's interface. */
    RdmaCmConnect(InetSocketAddress address) throws Exception {
        DisniLibrary.load();
        this.address = address;
        serverGroup = group();
        clientGroup = group();
        listener = serverGroup.createServerEndpoint();
        listener.bind(address, 16);
    }

    private static RdmaActiveEndpointGroup<Endpoint> group() throws IOException {
        RdmaActiveEndpointGroup<Endpoint> group = new RdmaActiveEndpointGroup<>(1000, true, 16, 1, 64);
        group.init((id, serverSide) -> new Endpoint(group, id, serverSide));
        return group;
    }

    /**
     * Connects one client endpoint, waits until the server side is established too, and closes both.
     *
     * @return nanoseconds from creating the client endpoint to both ends connected.
     */
    long connectOnce() throws Exception {
        Future<Endpoint> accepted = acceptor.submit(listener::accept);
        long start = System.nanoTime();
        Endpoint client = clientGroup.createEndpoint();
        client.connect(address, 5_000);
        Endpoint server = accepted.get(30, TimeUnit.SECONDS);
        long elapsed = System.nanoTime() - start;
        client.close();
        server.close();
        return elapsed;
    }

    @Override
    public void close() throws Exception {
        listener.close();
        clientGroup.close();
        serverGroup.close();
        acceptor.shutdownNow();
    }

    /** An endpoint with no buffers: only the connection is measured. */
    private static final class Endpoint extends RdmaActiveEndpoint {
        Endpoint(RdmaActiveEndpointGroup<Endpoint> group, RdmaCmId id, boolean serverSide) throws IOException {
            super(group, id, serverSide);
        }

        @Override
        public void dispatchCqEvent(IbvWC wc) {
            // No traffic is posted on these endpoints.
        }
    }
}
