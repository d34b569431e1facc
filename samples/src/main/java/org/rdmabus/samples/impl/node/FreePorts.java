package org.rdmabus.samples.impl.node;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/** Finds TCP ports on 127.0.0.1 that are free now, for the Hazelcast members of a sample's nodes. */
public final class FreePorts {

    private FreePorts() {
    }

    /**
     * Binds {@code count} ephemeral ports at once (so they differ), then releases them for the caller to bind.
     *
     * @param count how many ports.
     * @return distinct ports that were free a moment ago.
     * @throws UncheckedIOException if loopback has no free port.
     */
    public static List<Integer> find(int count) {
        List<ServerSocket> sockets = new ArrayList<>();
        try {
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LoopbackCluster.LOOPBACK));
                sockets.add(socket);
            }
            return sockets.stream().map(ServerSocket::getLocalPort).toList();
        } catch (IOException e) {
            throw new UncheckedIOException("no free TCP port on " + LoopbackCluster.LOOPBACK, e);
        } finally {
            for (ServerSocket socket : sockets) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // Closing a listening socket that accepted nothing cannot lose anything.
                }
            }
        }
    }
}
