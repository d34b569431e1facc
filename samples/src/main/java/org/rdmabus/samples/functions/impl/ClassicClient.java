package org.rdmabus.samples.functions.impl;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.samples.functions.Checkout;
import org.rdmabus.samples.functions.CheckoutRequest;
import org.rdmabus.samples.functions.ClassicEndpoints;
import org.rdmabus.samples.functions.ControlStep;
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
 * One function instance's own RDMA resources, opened the classic way, and its calls over them.
 *
 * <p>{@link #open} takes every {@link ControlStep} in turn and times it: opens a NIC, registers a region of receive
 * buffers, creates two completion queues (sends, receives), a shared receive queue and a reliable queue pair per
 * service, posts the receives, exchanges addresses with each service's {@link ClassicResponder} over TCP, and connects
 * both queue pairs. {@link #close()} gives all of it back. One thread uses a client at a time.
 */
public final class ClassicClient implements AutoCloseable {

    /** How long a call waits for its answer. */
    public static final Duration CALL_TIMEOUT = Checkout.CALL_TIMEOUT;

    private static final int RECEIVE_SLOTS = 8;
    private static final int SEND_QUEUE_DEPTH = 8;
    private static final int EXCHANGE_TIMEOUT_MILLIS = 5_000;

    private final Nic nic;
    private final MemoryRegion region;
    private final SharedReceiveQueue receives;
    private final CompletionQueue sendCompletions;
    private final CompletionQueue receiveCompletions;
    private final Peer catalog;
    private final Peer tax;
    private final Completion[] completions = Completion.array(RECEIVE_SLOTS);
    private final VarHandleBuffer message = new VarHandleBuffer(new byte[ClassicWire.MESSAGE_BYTES]);
    private final WorkRequest send = new WorkRequest();
    private final IdleStrategy idle = ClassicIdle.create();
    private int lastRequestId;
    private boolean closed;

    /** One service as this client reaches it: its queue pair, and the exchange's connection that keeps it alive. */
    private static final class Peer {
        private final String name;
        private final ReliableQueuePair queuePair;
        private Socket exchange;
        private int connectionId;
        private TargetAddress serviceAddress;

        private Peer(String name, ReliableQueuePair queuePair) {
            this.name = name;
            this.queuePair = queuePair;
        }
    }

    private ClassicClient(Nic nic, Map<ControlStep, Long> steps) {
        this.nic = nic;
        long begin = System.nanoTime();
        region = nic.allocateRegion(RECEIVE_SLOTS * ClassicWire.SLOT_BYTES, EnumSet.of(Access.LOCAL_WRITE));
        begin = step(steps, ControlStep.REGISTER_MEMORY, begin);

        sendCompletions = nic.createCompletionQueue(2 * SEND_QUEUE_DEPTH);
        receiveCompletions = nic.createCompletionQueue(2 * RECEIVE_SLOTS);
        receives = nic.createSharedReceiveQueue(RECEIVE_SLOTS);
        catalog = new Peer("catalog", nic.createReliableQueuePair(sendCompletions, receives, receiveCompletions,
            SEND_QUEUE_DEPTH));
        tax = new Peer("tax", nic.createReliableQueuePair(sendCompletions, receives, receiveCompletions,
            SEND_QUEUE_DEPTH));
        for (int slot = 0; slot < RECEIVE_SLOTS; slot++) {
            repost(slot);
        }
        step(steps, ControlStep.CREATE_QUEUES, begin);
    }

    /**
     * Opens a client, timing each control-path step into {@code steps}.
     *
     * @param endpoints where the services exchange addresses.
     * @param steps     where each step's time goes, in nanoseconds.
     * @return the connected client.
     * @throws ClassicRdmaException if a step fails; whatever was opened is closed.
     */
    public static ClassicClient open(ClassicEndpoints endpoints, Map<ControlStep, Long> steps) {
        long begin = System.nanoTime();
        Nic nic;
        try {
            nic = Fabrics.open(new NicOptions());
        } catch (RuntimeException e) {
            throw new ClassicRdmaException("cannot open a NIC: " + e.getMessage(), e);
        }
        step(steps, ControlStep.OPEN_NIC, begin);
        ClassicClient client;
        try {
            client = new ClassicClient(nic, steps);
        } catch (RuntimeException e) {
            nic.close();
            throw new ClassicRdmaException("cannot create the instance's verbs resources: " + e.getMessage(), e);
        }
        try {
            begin = System.nanoTime();
            client.exchange(client.catalog, endpoints.catalog());
            client.exchange(client.tax, endpoints.tax());
            begin = step(steps, ControlStep.EXCHANGE_ADDRESSES, begin);
            client.connect(client.catalog);
            client.connect(client.tax);
            step(steps, ControlStep.CONNECT, begin);
            return client;
        } catch (RuntimeException e) {
            client.close();
            throw e;
        }
    }

    /**
     * Asks catalog for the price, then tax for the rate.
     *
     * @param request the checkout.
     * @return its total in cents.
     * @throws ClassicRdmaException if a call fails, is refused or goes unanswered.
     */
    public long checkout(CheckoutRequest request) {
        long price = call(catalog, request.item());
        long rate = call(tax, request.region());
        return Checkout.totalCents(price, rate);
    }

    /** @return the provider of the client's NIC, e.g. {@code soft}. */
    public String provider() {
        return nic.provider();
    }

    /** Closes the exchanges (so that the services close their queue pairs), then the NIC and all it holds. */
    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        closeExchange(catalog);
        closeExchange(tax);
        nic.close();
    }

    private long call(Peer peer, long argument) {
        int id = ++lastRequestId;
        message.putInt(ClassicWire.REQUEST_CONNECTION, peer.connectionId, ClassicWire.ORDER);
        message.putInt(ClassicWire.REQUEST_ID, id, ClassicWire.ORDER);
        message.putLong(ClassicWire.REQUEST_ARGUMENT, argument, ClassicWire.ORDER);
        send.sendInline(message, 0, ClassicWire.MESSAGE_BYTES).wrId(id).signalled(false);
        if (!peer.queuePair.post(send)) {
            throw new ClassicRdmaException("the queue pair to " + peer.name + " has no room for a request");
        }
        long deadline = System.nanoTime() + CALL_TIMEOUT.toNanos();
        idle.reset();
        while (true) {
            int work = failedSends(peer);
            int polled = receiveCompletions.poll(completions);
            for (int i = 0; i < polled; i++) {
                Completion completion = completions[i];
                if (!completion.isSuccess()) {
                    throw new ClassicRdmaException("a receive from " + peer.name + " failed: " + completion.status());
                }
                int slot = (int) completion.wrId();
                AtomicBuffer buffer = region.buffer();
                int offset = slot * ClassicWire.SLOT_BYTES;
                int answered = buffer.getInt(offset + ClassicWire.REPLY_ID, ClassicWire.ORDER);
                int status = buffer.getInt(offset + ClassicWire.REPLY_STATUS, ClassicWire.ORDER);
                long value = buffer.getLong(offset + ClassicWire.REPLY_VALUE, ClassicWire.ORDER);
                repost(slot);
                if (answered == id) {
                    if (status != ClassicWire.ANSWERED) {
                        throw new ClassicRdmaException(peer.name + " refused the argument " + argument);
                    }
                    return value;
                }
                // An answer to an earlier request that timed out: it is too late to matter.
            }
            if (System.nanoTime() - deadline > 0) {
                throw new ClassicRdmaException(peer.name + " did not answer within " + CALL_TIMEOUT.toMillis()
                    + " ms");
            }
            idle.idle(work + polled);
        }
    }

    private int failedSends(Peer peer) {
        int polled = sendCompletions.poll(completions);
        for (int i = 0; i < polled; i++) {
            // Requests are unsignalled: a send completion is a failure.
            if (!completions[i].isSuccess()) {
                throw new ClassicRdmaException("a request to " + peer.name + " failed: " + completions[i].status());
            }
        }
        return polled;
    }

    private void repost(int slot) {
        if (!receives.postReceive(slot, region, (long) slot * ClassicWire.SLOT_BYTES, ClassicWire.SLOT_BYTES)) {
            throw new ClassicRdmaException("the receive queue has no room for buffer " + slot);
        }
    }

    private void exchange(Peer peer, InetSocketAddress endpoint) {
        Socket socket = new Socket();
        peer.exchange = socket;
        try {
            socket.setTcpNoDelay(true);
            socket.setSoTimeout(EXCHANGE_TIMEOUT_MILLIS);
            socket.connect(endpoint, EXCHANGE_TIMEOUT_MILLIS);
            DataOutputStream out = new DataOutputStream(new BufferedOutputStream(socket.getOutputStream()));
            out.writeInt(ClassicWire.MAGIC);
            ClassicWire.writeAddress(out, peer.queuePair.localAddress());
            out.flush();
            DataInputStream in = new DataInputStream(new BufferedInputStream(socket.getInputStream()));
            byte answer = in.readByte();
            if (answer == ClassicWire.REFUSED) {
                throw new ClassicRdmaException(peer.name + " refused the exchange: " + in.readUTF());
            } else if (answer != ClassicWire.ACCEPTED) {
                throw new ClassicRdmaException(peer.name + " answered the exchange with " + answer);
            }
            peer.connectionId = in.readInt();
            peer.serviceAddress = ClassicWire.readAddress(in);
        } catch (IOException | IllegalArgumentException e) {
            throw new ClassicRdmaException("the address exchange with " + peer.name + " at " + endpoint
                + " failed: " + e.getMessage(), e);
        }
    }

    private void connect(Peer peer) {
        try {
            peer.queuePair.connect(peer.serviceAddress);
        } catch (RuntimeException e) {
            throw new ClassicRdmaException("cannot connect to " + peer.name + "'s queue pair: " + e.getMessage(), e);
        }
    }

    private static void closeExchange(Peer peer) {
        if (peer == null || peer.exchange == null) {
            return;
        }
        try {
            peer.exchange.close();
        } catch (IOException e) {
            // The service notices the end of the connection either way.
        }
    }

    private static long step(Map<ControlStep, Long> steps, ControlStep step, long begin) {
        long now = System.nanoTime();
        steps.put(step, now - begin);
        return now;
    }
}
