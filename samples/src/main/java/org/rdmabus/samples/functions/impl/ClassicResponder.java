package org.rdmabus.samples.functions.impl;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.util.EnumSet;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongUnaryOperator;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * A service's side of the classic path: a small responder that gives every function instance a queue pair of its
 * own, as a classic RDMA server does, and answers its requests with the service's model.
 *
 * <p>It opens its NIC once, at start-up (the service is long-lived; only the function instances are cold). For each
 * instance it accepts a TCP connection on loopback, reads the instance's queue-pair address, creates and connects a
 * reliable queue pair, and answers with that queue pair's address and a connection id (see {@link ClassicWire}). The
 * queue pair lives until the instance closes the connection. All queue pairs share one receive queue, polled by one
 * thread, which answers each request on the queue pair its connection id names.
 */
public final class ClassicResponder implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(ClassicResponder.class.getName());
    private static final int RECEIVE_SLOTS = 256;
    private static final int SEND_QUEUE_DEPTH = 16;
    private static final int POLL_BATCH = 32;
    private static final int MAX_CONNECTIONS = 64;
    private static final int BACKLOG = 64;
    private static final int EXCHANGE_TIMEOUT_MILLIS = 5_000;
    private static final long STOP_WAIT_MILLIS = TimeUnit.SECONDS.toMillis(5);

    private final String name;
    private final LongUnaryOperator model;
    private final Nic nic;
    private final MemoryRegion region;
    private final CompletionQueue sendCompletions;
    private final CompletionQueue receiveCompletions;
    private final SharedReceiveQueue receives;
    private final ServerSocket server;
    private final Map<Integer, Connection> connections = new ConcurrentHashMap<>();
    private final AtomicInteger lastConnectionId = new AtomicInteger();
    private final AtomicLong answered = new AtomicLong();
    private final AtomicLong unanswerable = new AtomicLong();
    private final Thread acceptor;
    private final Thread poller;
    private volatile boolean running = true;

    /** One function instance's queue pair here, and the exchange connection whose end closes it. */
    private static final class Connection {
        private final int id;
        private final ReliableQueuePair queuePair;
        private final Socket socket;
        private boolean closed;

        private Connection(int id, ReliableQueuePair queuePair, Socket socket) {
            this.id = id;
            this.queuePair = queuePair;
            this.socket = socket;
        }
    }

    private ClassicResponder(String name, LongUnaryOperator model, Nic nic, ServerSocket server) {
        this.name = name;
        this.model = model;
        this.nic = nic;
        this.server = server;
        region = nic.allocateRegion(RECEIVE_SLOTS * ClassicWire.SLOT_BYTES, EnumSet.of(Access.LOCAL_WRITE));
        sendCompletions = nic.createCompletionQueue(RECEIVE_SLOTS);
        receiveCompletions = nic.createCompletionQueue(2 * RECEIVE_SLOTS);
        receives = nic.createSharedReceiveQueue(RECEIVE_SLOTS);
        for (int slot = 0; slot < RECEIVE_SLOTS; slot++) {
            repost(slot);
        }
        acceptor = new Thread(this::accept, "rdmabus-classic-accept-" + name);
        poller = new Thread(this::poll, "rdmabus-classic-poll-" + name);
        acceptor.setDaemon(true);
        poller.setDaemon(true);
    }

    /**
     * Opens the NIC, creates the shared resources, listens on an ephemeral port of 127.0.0.1 and starts answering.
     *
     * @param name  the service's name, for thread names and messages.
     * @param model the answer to each argument; throws {@link IllegalArgumentException} for one it refuses.
     * @return the running responder.
     * @throws ClassicRdmaException if the NIC, its resources or the listening socket cannot be opened.
     */
    public static ClassicResponder start(String name, LongUnaryOperator model) {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(model, "model");
        Nic nic;
        try {
            nic = Fabrics.open(new NicOptions());
        } catch (RuntimeException e) {
            throw new ClassicRdmaException(name + ": cannot open a NIC: " + e.getMessage(), e);
        }
        ServerSocket server = null;
        try {
            server = new ServerSocket(0, BACKLOG, InetAddress.getLoopbackAddress());
            ClassicResponder responder = new ClassicResponder(name, model, nic, server);
            responder.acceptor.start();
            responder.poller.start();
            return responder;
        } catch (IOException | RuntimeException e) {
            closeQuietly(server);
            nic.close();
            throw new ClassicRdmaException(name + ": cannot start the classic responder: " + e.getMessage(), e);
        }
    }

    /** @return where function instances exchange addresses with this service. */
    public InetSocketAddress endpoint() {
        return new InetSocketAddress(server.getInetAddress(), server.getLocalPort());
    }

    /** @return the NIC's provider, e.g. {@code soft}. */
    public String provider() {
        return nic.provider();
    }

    /** @return how many function instances have a queue pair here now. */
    public int connections() {
        return connections.size();
    }

    /** @return how many requests were answered. */
    public long answered() {
        return answered.get();
    }

    /** @return how many requests named no open connection, or could not be answered on theirs. */
    public long unanswerable() {
        return unanswerable.get();
    }

    /** Stops accepting and answering, closes every connection's queue pair, then the NIC. */
    @Override
    public void close() {
        if (!running) {
            return;
        }
        running = false;
        closeQuietly(server);
        join(acceptor);
        join(poller);
        connections.values().forEach(this::closeConnection);
        nic.close();
    }

    private void accept() {
        while (running) {
            Socket socket;
            try {
                socket = server.accept();
            } catch (IOException e) {
                if (running) {
                    LOG.log(System.Logger.Level.WARNING, name + ": accepting an exchange failed", e);
                }
                continue;
            }
            exchange(socket);
        }
    }

    private void exchange(Socket socket) {
        ReliableQueuePair queuePair = null;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(EXCHANGE_TIMEOUT_MILLIS);
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            try {
                int magic = in.readInt();
                if (magic != ClassicWire.MAGIC) {
                    throw new IllegalArgumentException(String.format("not an exchange: it opens with 0x%08x", magic));
                }
                TargetAddress instance = ClassicWire.readAddress(in);
                if (connections.size() >= MAX_CONNECTIONS) {
                    throw new IllegalStateException("already " + MAX_CONNECTIONS + " connections");
                }
                queuePair = nic.createReliableQueuePair(sendCompletions, receives, receiveCompletions,
                    SEND_QUEUE_DEPTH);
                queuePair.connect(instance);
            } catch (IllegalArgumentException | IllegalStateException | org.rdmabus.verbs.VerbsException e) {
                out.writeByte(ClassicWire.REFUSED);
                out.writeUTF(String.valueOf(e.getMessage()));
                out.flush();
                throw new IOException("refused: " + e.getMessage(), e);
            }
            Connection connection = new Connection(lastConnectionId.incrementAndGet(), queuePair, socket);
            connections.put(connection.id, connection);
            out.writeByte(ClassicWire.ACCEPTED);
            out.writeInt(connection.id);
            ClassicWire.writeAddress(out, queuePair.localAddress());
            out.flush();
            socket.setSoTimeout(0);
            Thread watcher = new Thread(() -> awaitEnd(connection, in), "rdmabus-classic-conn-" + connection.id);
            watcher.setDaemon(true);
            watcher.start();
        } catch (IOException | RuntimeException e) {
            LOG.log(System.Logger.Level.DEBUG, name + ": an exchange failed: " + e.getMessage());
            if (queuePair != null) {
                queuePair.close();
            }
            closeQuietly(socket);
        }
    }

    /** The instance says nothing more after the exchange: the end of its connection ends its queue pair. */
    private void awaitEnd(Connection connection, InputStream in) {
        try {
            while (in.read() >= 0) {
                // Nothing is expected; extra bytes change nothing.
            }
        } catch (SocketTimeoutException e) {
            // Not set after the exchange; treated as the end like any other failure.
        } catch (IOException e) {
            // A reset connection ends the queue pair too.
        }
        closeConnection(connection);
    }

    private void closeConnection(Connection connection) {
        synchronized (connection) {
            if (connection.closed) {
                return;
            }
            connection.closed = true;
            connections.remove(connection.id);
            connection.queuePair.close();
        }
        closeQuietly(connection.socket);
    }

    private void poll() {
        Completion[] completions = Completion.array(POLL_BATCH);
        VarHandleBuffer reply = new VarHandleBuffer(new byte[ClassicWire.MESSAGE_BYTES]);
        WorkRequest send = new WorkRequest();
        IdleStrategy idle = ClassicIdle.create();
        while (running) {
            int work = 0;
            int polled = receiveCompletions.poll(completions);
            for (int i = 0; i < polled; i++) {
                if (completions[i].isSuccess()) {
                    answer((int) completions[i].wrId(), completions[i].byteLength(), reply, send);
                } else {
                    unanswerable.incrementAndGet();
                    repost((int) completions[i].wrId());
                }
            }
            work += polled;
            int sent = sendCompletions.poll(completions);
            for (int i = 0; i < sent; i++) {
                // Replies are unsignalled, so each completion is a failure: its instance hears nothing and times out.
                unanswerable.incrementAndGet();
            }
            work += sent;
            idle.idle(work);
        }
    }

    private void answer(int slot, int length, VarHandleBuffer reply, WorkRequest send) {
        AtomicBuffer buffer = region.buffer();
        int offset = slot * ClassicWire.SLOT_BYTES;
        int connectionId = buffer.getInt(offset + ClassicWire.REQUEST_CONNECTION, ClassicWire.ORDER);
        int requestId = buffer.getInt(offset + ClassicWire.REQUEST_ID, ClassicWire.ORDER);
        long argument = buffer.getLong(offset + ClassicWire.REQUEST_ARGUMENT, ClassicWire.ORDER);
        repost(slot);
        Connection connection = connections.get(connectionId);
        if (length != ClassicWire.MESSAGE_BYTES || connection == null) {
            unanswerable.incrementAndGet();
            return;
        }
        int status = ClassicWire.ANSWERED;
        long value = 0;
        try {
            value = model.applyAsLong(argument);
        } catch (IllegalArgumentException e) {
            status = ClassicWire.REFUSED_ARGUMENT;
        }
        reply.putInt(ClassicWire.REPLY_ID, requestId, ClassicWire.ORDER);
        reply.putInt(ClassicWire.REPLY_STATUS, status, ClassicWire.ORDER);
        reply.putLong(ClassicWire.REPLY_VALUE, value, ClassicWire.ORDER);
        send.sendInline(reply, 0, ClassicWire.MESSAGE_BYTES).wrId(requestId).signalled(false);
        boolean posted;
        synchronized (connection) {
            posted = !connection.closed && connection.queuePair.post(send);
        }
        if (posted) {
            answered.incrementAndGet();
        } else {
            unanswerable.incrementAndGet();
        }
    }

    private void repost(int slot) {
        if (!receives.postReceive(slot, region, (long) slot * ClassicWire.SLOT_BYTES, ClassicWire.SLOT_BYTES)) {
            // Cannot happen: each slot is posted at most once at a time. Counted rather than thrown on the poller.
            unanswerable.incrementAndGet();
        }
    }

    private static void join(Thread thread) {
        try {
            thread.join(STOP_WAIT_MILLIS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void closeQuietly(AutoCloseable closeable) {
        if (closeable == null) {
            return;
        }
        try {
            closeable.close();
        } catch (Exception e) {
            // Closing on the way out: nothing left to tell.
        }
    }
}
