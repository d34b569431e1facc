package org.rdmabus.bench.rdma;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.function.UnaryOperator;
import org.rdmabus.verbs.TargetAddress;

/**
 * The out-of-band exchange a cold RC connection needs, like {@code ibv_rc_pingpong}'s: the client sends its
 * queue pair's address over an already open loopback TCP connection, the server answers with its own. The
 * TCP connection stays open, as a cluster's control channel would, so only the exchange itself is timed.
 */
final class AddressExchange implements AutoCloseable {
    private final ServerSocket listener;
    private final Socket client;
    private final Socket server;
    private final DataOutputStream clientOut;
    private final DataInputStream clientIn;
    private final DataOutputStream serverOut;
    private final DataInputStream serverIn;
    private final Thread responder;

    /**
     * @param answer called on the responder thread with the client's address; returns the server's.
     */
    AddressExchange(UnaryOperator<TargetAddress> answer) throws IOException {
        listener = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
        client = new Socket(InetAddress.getLoopbackAddress(), listener.getLocalPort());
        server = listener.accept();
        client.setTcpNoDelay(true);
        server.setTcpNoDelay(true);
        clientOut = new DataOutputStream(client.getOutputStream());
        clientIn = new DataInputStream(client.getInputStream());
        serverOut = new DataOutputStream(server.getOutputStream());
        serverIn = new DataInputStream(server.getInputStream());
        responder = new Thread(() -> respond(answer), "address-exchange");
        responder.setDaemon(true);
        responder.start();
    }

    private void respond(UnaryOperator<TargetAddress> answer) {
        try {
            while (true) {
                byte[] request = new byte[serverIn.readUnsignedShort()];
                serverIn.readFully(request);
                byte[] reply = answer.apply(TargetAddress.fromBytes(request)).toBytes();
                serverOut.writeShort(reply.length);
                serverOut.write(reply);
                serverOut.flush();
            }
        } catch (IOException closed) {
            // The benchmark is over.
        }
    }

    /**
     * @param mine the client queue pair's address.
     * @return the server queue pair's address.
     */
    TargetAddress exchange(TargetAddress mine) throws IOException {
        byte[] bytes = mine.toBytes();
        clientOut.writeShort(bytes.length);
        clientOut.write(bytes);
        clientOut.flush();
        byte[] reply = new byte[clientIn.readUnsignedShort()];
        clientIn.readFully(reply);
        return TargetAddress.fromBytes(reply);
    }

    @Override
    public void close() throws IOException {
        client.close();
        server.close();
        listener.close();
        try {
            responder.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
