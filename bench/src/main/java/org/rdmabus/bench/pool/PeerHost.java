package org.rdmabus.bench.pool;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
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

/**
 * The peers of {@link PeerMemoryBench}, in a second JVM: one NIC whose receive queue takes what the measured
 * process sends, and on it either one DC target per peer, or one reliable queue pair per peer connected to the
 * measured process's.
 * <p>
 * Arguments: directory, {@code dc} or {@code rc}, access key. Lines in: {@code TARGET} (dc: create a target, answer
 * its address), {@code CONNECT <address>} (rc: create a queue pair, connect it, answer its address); stdin closing
 * ends the process.
 */
public final class PeerHost {
    private static final int BUFFERS = 1024;
    private static final int BUFFER_SIZE = 4096;

    private PeerHost() {
    }

    /**
     * @param args directory, mode, key.
     * @throws Exception on failure.
     */
    public static void main(String[] args) throws Exception {
        long key = Long.parseLong(args[2]);
        try (Nic nic = Fabrics.open(new NicOptions().provider("soft").directory(Paths.get(args[0])))) {
            MemoryRegion buffers = nic.allocateRegion(BUFFERS * BUFFER_SIZE, EnumSet.of(Access.LOCAL_WRITE));
            SharedReceiveQueue receives = nic.createSharedReceiveQueue(BUFFERS);
            CompletionQueue received = nic.createCompletionQueue(BUFFERS);
            CompletionQueue sends = nic.createCompletionQueue(64);
            for (int i = 0; i < BUFFERS; i++) {
                receives.postReceive(i, buffers, (long) i * BUFFER_SIZE, BUFFER_SIZE);
            }
            Thread reposter = new Thread(() -> {
                Completion[] completions = Completion.array(64);
                while (!Thread.currentThread().isInterrupted()) {
                    int count = received.poll(completions);
                    for (int i = 0; i < count; i++) {
                        int index = (int) completions[i].wrId();
                        receives.postReceive(index, buffers, (long) index * BUFFER_SIZE, BUFFER_SIZE);
                    }
                    if (count == 0) {
                        Thread.yield();
                    }
                }
            }, "peer-host-receiver");
            reposter.setDaemon(true);
            reposter.start();
            List<AutoCloseable> made = new ArrayList<>();
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            String line;
            while ((line = in.readLine()) != null) {
                if (line.equals("TARGET")) {
                    var target = nic.createTarget(receives, received, key);
                    made.add(target);
                    System.out.println(target.address().withAccessKey(0).toExternalForm());
                } else if (line.startsWith("CONNECT ")) {
                    ReliableQueuePair pair = nic.createReliableQueuePair(sends, receives, received, 64);
                    pair.connect(TargetAddress.fromExternalForm(line.substring("CONNECT ".length())));
                    made.add(pair);
                    System.out.println(pair.localAddress().toExternalForm());
                }
                System.out.flush();
            }
            reposter.interrupt();
            reposter.join(5_000);
        }
    }
}
