package org.rdmabus.verbs.conformance;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Random;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.ReliableQueuePair;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * The other process of the cross-JVM conformance tests. Arguments: provider, shared-memory directory (or
 * {@code -}), RNR timeout in ms, peer timeout in ms, access key. Reads one command per line and answers with one
 * line that starts with the command's name. The receive resources (completion queue, shared receive queue, receive
 * buffers, data region) are created by the first {@code target} or {@code reliable} and shared by every target
 * and RC queue pair created after it, so a test can replace a broken RC connection and see the same memory.
 * <pre>
 *   target RECEIVES RECV_SIZE DATA_SIZE  -> target ADDRESS DATA_RKEY DATA_REMOTE_ADDRESS
 *   reliable RECEIVES RECV_SIZE DATA_SIZE-> reliable ADDRESS DATA_RKEY DATA_REMOTE_ADDRESS (a new RC queue pair)
 *   connect ADDRESS                      -> connect            (the newest RC queue pair to ADDRESS)
 *   poll N TIMEOUT_MS                    -> poll wrId:opcode:status:length:imm:hasImm ...
 *   crc OFFSET LENGTH                    -> crc VALUE          (of the data region)
 *   recvcrc WR_ID LENGTH                 -> recvcrc VALUE      (of receive buffer WR_ID)
 *   fill OFFSET LENGTH                   -> fill CRC           (pseudo-random bytes into the data region)
 *   source ADDRESS COUNT SEED MAX        -> source SENT STATUS (integrity frames to a DC ADDRESS)
 *   rcsource COUNT SEED MAX              -> rcsource SENT STATUS (the same over the newest RC queue pair)
 *   exit
 * </pre>
 */
public final class ConformancePeer {
    /** How many integrity frames a source keeps in flight; the send queue's depth. */
    private static final int SOURCE_SLOTS = 32;
    private final Nic nic;
    private final long accessKey;
    private final PrintStream out;
    private CompletionQueue completions;
    private SharedReceiveQueue receives;
    private MemoryRegion receiveRegion;
    private MemoryRegion data;
    private int receiveSize;
    private CompletionQueue reliableSends;
    private ReliableQueuePair reliable;
    private final Completion[] polled = Completion.array(64);

    private ConformancePeer(Nic nic, long accessKey, PrintStream out) {
        this.nic = nic;
        this.accessKey = accessKey;
        this.out = out;
    }

    /**
     * @param args provider, directory or {@code -}, RNR timeout ms, peer timeout ms, access key.
     * @throws Exception on any failure; the test sees the process exit.
     */
    public static void main(String[] args) throws Exception {
        NicOptions options = new NicOptions().provider(args[0])
            .rnrTimeout(Duration.ofMillis(Long.parseLong(args[2])))
            .peerTimeout(Duration.ofMillis(Long.parseLong(args[3])));
        if (!"-".equals(args[1])) {
            options.directory(Paths.get(args[1]));
        }
        PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        try (Nic nic = Fabrics.open(options)) {
            ConformancePeer peer = new ConformancePeer(nic, Long.parseLong(args[4]), out);
            out.println("ready");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null && !line.equals("exit")) {
                out.println(peer.handle(line.split(" ")));
            }
        }
    }

    private String handle(String[] words) {
        switch (words[0]) {
            case "target":
                receiveResources(Integer.parseInt(words[1]), Integer.parseInt(words[2]), Integer.parseInt(words[3]));
                return "target " + nic.createTarget(receives, completions, accessKey).address().toExternalForm()
                    + " " + data.rkey() + " " + data.remoteAddress(0);
            case "reliable":
                receiveResources(Integer.parseInt(words[1]), Integer.parseInt(words[2]), Integer.parseInt(words[3]));
                return "reliable " + reliable().localAddress().toExternalForm() + " " + data.rkey() + " "
                    + data.remoteAddress(0);
            case "connect":
                reliable.connect(TargetAddress.fromExternalForm(words[1]));
                return "connect";
            case "poll":
                return poll(Integer.parseInt(words[1]), Long.parseLong(words[2]));
            case "crc":
                return "crc " + IntegrityFrames.crc(data.buffer(), Integer.parseInt(words[1]), Integer.parseInt(words[2]));
            case "recvcrc":
                return "recvcrc " + IntegrityFrames.crc(receiveRegion.buffer(),
                    Integer.parseInt(words[1]) * receiveSize, Integer.parseInt(words[2]));
            case "fill":
                return "fill " + fill(Integer.parseInt(words[1]), Integer.parseInt(words[2]));
            case "source":
                return "source " + dcSource(TargetAddress.fromExternalForm(words[1]), Integer.parseInt(words[2]),
                    Long.parseLong(words[3]), Integer.parseInt(words[4]));
            case "rcsource":
                return "rcsource " + source(reliable::post, reliableSends, Integer.parseInt(words[1]),
                    Long.parseLong(words[2]), Integer.parseInt(words[3]));
            default:
                return "error unknown command " + words[0];
        }
    }

    private void receiveResources(int count, int size, int dataSize) {
        if (completions != null) {
            return;
        }
        completions = nic.createCompletionQueue(count * 2 + 16);
        receives = nic.createSharedReceiveQueue(count);
        receiveSize = size;
        receiveRegion = nic.allocateRegion(count * size, EnumSet.of(Access.LOCAL_WRITE));
        data = nic.allocateRegion(dataSize, EnumSet.of(Access.LOCAL_WRITE, Access.REMOTE_WRITE, Access.REMOTE_READ));
        for (int i = 0; i < count; i++) {
            receives.postReceive(i, receiveRegion, (long) i * size, size);
        }
    }

    /** A new RC queue pair on the receive resources; deep enough for {@link #SOURCE_SLOTS} SENDs in flight. */
    private ReliableQueuePair reliable() {
        if (reliableSends == null) {
            reliableSends = nic.createCompletionQueue(SOURCE_SLOTS * 2);
        }
        reliable = nic.createReliableQueuePair(reliableSends, receives, completions, SOURCE_SLOTS);
        return reliable;
    }

    private String poll(int wanted, long timeoutMillis) {
        StringBuilder answer = new StringBuilder("poll");
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000L;
        int got = 0;
        while (got < wanted && System.nanoTime() - deadline < 0) {
            int n = completions.poll(polled);
            for (int i = 0; i < n; i++) {
                Completion c = polled[i];
                answer.append(' ').append(c.wrId()).append(':').append(c.opcode()).append(':').append(c.status())
                    .append(':').append(c.byteLength()).append(':').append(c.immediate()).append(':')
                    .append(c.hasImmediate());
            }
            got += n;
            if (n == 0) {
                Thread.onSpinWait();
            }
        }
        return answer.toString();
    }

    private int fill(int offset, int length) {
        Random random = new Random(offset * 31L + length);
        for (int i = 0; i < length; i++) {
            data.buffer().putByte(offset + i, (byte) random.nextInt());
        }
        return IntegrityFrames.crc(data.buffer(), offset, length);
    }

    private String dcSource(TargetAddress address, int count, long seed, int maxPayload) {
        CompletionQueue sendCompletions = nic.createCompletionQueue(SOURCE_SLOTS * 2);
        DcInitiator initiator = nic.createInitiator(sendCompletions, SOURCE_SLOTS);
        return source(request -> initiator.post(address, request), sendCompletions, count, seed, maxPayload);
    }

    /** Posts a request to the sink; {@code false} if the send queue is full. */
    @FunctionalInterface
    private interface Post {
        boolean post(WorkRequest request);
    }

    /**
     * Sends integrity frames with signalled SENDs, reusing a send buffer only once its SEND has completed.
     *
     * @return how many were sent and how it ended: SUCCESS, the failing status, TIMEOUT or QUEUE_FULL.
     */
    private String source(Post post, CompletionQueue sendCompletions, int count, long seed, int maxPayload) {
        int slots = SOURCE_SLOTS;
        MemoryRegion frames = nic.allocateRegion(slots * IntegrityFrames.MAX_FRAME, EnumSet.of(Access.LOCAL_WRITE));
        WorkRequest request = new WorkRequest();
        Random sizes = new Random(seed);
        int inFlight = 0;
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (long seq = 0; seq < count; seq++) {
            while (inFlight == slots) {
                int n = sendCompletions.poll(polled);
                for (int i = 0; i < n; i++) {
                    if (!polled[i].isSuccess()) {
                        return seq + " " + polled[i].status();
                    }
                }
                inFlight -= n;
                if (n == 0) {
                    if (System.nanoTime() - deadline > 0) {
                        return seq + " TIMEOUT";
                    }
                    Thread.yield();
                }
            }
            int offset = (int) (seq % slots) * IntegrityFrames.MAX_FRAME;
            int length = IntegrityFrames.write(frames.buffer(), offset, seq, 1 + sizes.nextInt(maxPayload));
            request.send(frames, offset, length).wrId(seq).signalled(true);
            if (!post.post(request)) {
                return seq + " QUEUE_FULL";
            }
            inFlight++;
        }
        while (inFlight > 0 && System.nanoTime() - deadline < 0) {
            int n = sendCompletions.poll(polled);
            for (int i = 0; i < n; i++) {
                if (!polled[i].isSuccess()) {
                    return count + " " + polled[i].status();
                }
            }
            inFlight -= n;
        }
        return count + " " + (inFlight == 0 ? "SUCCESS" : "TIMEOUT");
    }
}
