package org.rdmabus.bench;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;
import org.rdmabus.verbs.Access;
import org.rdmabus.verbs.Completion;
import org.rdmabus.verbs.CompletionQueue;
import org.rdmabus.verbs.DcInitiator;
import org.rdmabus.verbs.DcTarget;
import org.rdmabus.verbs.Fabrics;
import org.rdmabus.verbs.MemoryRegion;
import org.rdmabus.verbs.Nic;
import org.rdmabus.verbs.NicOptions;
import org.rdmabus.verbs.SharedReceiveQueue;
import org.rdmabus.verbs.TargetAddress;
import org.rdmabus.verbs.WorkRequest;

/**
 * What the control path costs on the soft fabric, the numbers a warm pool is meant to hide: creating an initiator,
 * creating a target, the first post to a target never seen before (on a known NIC, and on a NIC never seen, which
 * maps its segment), against a steady-state post. Posts are signalled 8 B WRITEs timed from post to completion;
 * "post call" times the {@code post} call alone. Options: {@code --iterations N} (default 2 000).
 */
public final class ControlPathBench {
    private static final long KEY = 7;

    private ControlPathBench() {
    }

    /**
     * @param args options, see the class comment.
     */
    public static void main(String[] args) {
        int iterations = PingPongBench.intOption(args, "--iterations", 2_000);
        NicOptions options = new NicOptions().provider("soft");
        System.out.printf("%-40s %10s %10s %10s %8s%n", "operation", "p50 us", "p99 us", "max us", "count");
        try (Nic local = Fabrics.open(options); Nic remote = Fabrics.open(options)) {
            CompletionQueue sends = local.createCompletionQueue(1024);
            MemoryRegion source = local.allocateRegion(4096, EnumSet.of(Access.LOCAL_WRITE));
            CompletionQueue receives = remote.createCompletionQueue(1024);
            SharedReceiveQueue srq = remote.createSharedReceiveQueue(64);
            MemoryRegion sink = remote.allocateRegion(4096, EnumSet.of(Access.REMOTE_WRITE));

            Histogram createInitiator = histogram();
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                DcInitiator initiator = local.createInitiator(sends, 64);
                createInitiator.recordValue(System.nanoTime() - start);
                initiator.close();
            }
            print("create initiator (depth 64)", createInitiator);

            Histogram createTarget = histogram();
            for (int i = 0; i < iterations; i++) {
                long start = System.nanoTime();
                DcTarget target = remote.createTarget(srq, receives, KEY);
                createTarget.recordValue(System.nanoTime() - start);
                target.close();
            }
            print("create target", createTarget);

            DcInitiator initiator = local.createInitiator(sends, 64);
            WorkRequest write = new WorkRequest().write(source, 0, 8, sink.remoteAddress(0), sink.rkey());
            Completion[] completions = Completion.array(1);
            int targetCount = Math.min(iterations, 900);
            List<DcTarget> targets = new ArrayList<>();
            for (int i = 0; i < targetCount; i++) {
                targets.add(remote.createTarget(srq, receives, KEY));
            }
            Histogram firstPost = histogram();
            for (DcTarget target : targets) {
                firstPost.recordValue(timedWrite(initiator, target.address(), write, sends, completions));
            }
            print("first post, never-seen target", firstPost);

            int nicCount = Math.min(iterations, 20);
            Histogram firstNic = histogram();
            for (int i = 0; i < nicCount; i++) {
                try (Nic other = Fabrics.open(options)) {
                    MemoryRegion otherSink = other.allocateRegion(4096, EnumSet.of(Access.REMOTE_WRITE));
                    CompletionQueue otherCq = other.createCompletionQueue(8);
                    DcTarget otherTarget = other.createTarget(other.createSharedReceiveQueue(4), otherCq, KEY);
                    WorkRequest otherWrite =
                        new WorkRequest().write(source, 0, 8, otherSink.remoteAddress(0), otherSink.rkey());
                    firstNic.recordValue(timedWrite(initiator, otherTarget.address(), otherWrite, sends, completions));
                }
            }
            print("first post, never-seen NIC", firstNic);

            TargetAddress warm = targets.get(0).address();
            Histogram steady = histogram();
            Histogram postCall = histogram();
            for (int i = 0; i < 20_000 + iterations * 50; i++) {
                long latency = timedWrite(initiator, warm, write, sends, completions);
                if (i >= 20_000) {
                    steady.recordValue(latency);
                }
            }
            write.signalled(false);
            for (int i = 0; i < 20_000 + iterations * 50; i++) {
                long start = System.nanoTime();
                if (!initiator.post(warm, write)) {
                    throw new IllegalStateException("send queue full");
                }
                long took = System.nanoTime() - start;
                if (i >= 20_000) {
                    postCall.recordValue(took);
                }
            }
            print("steady-state post to completion", steady);
            print("steady-state post call (unsignalled)", postCall);
        }
    }

    private static long timedWrite(DcInitiator initiator, TargetAddress to, WorkRequest write, CompletionQueue sends,
                                   Completion[] completions) {
        long start = System.nanoTime();
        if (!initiator.post(to, write.signalled(true))) {
            throw new IllegalStateException("send queue full");
        }
        long deadline = start + TimeUnit.SECONDS.toNanos(5);
        while (sends.poll(completions) == 0) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no completion");
            }
        }
        long took = System.nanoTime() - start;
        if (!completions[0].isSuccess()) {
            throw new IllegalStateException("write failed: " + completions[0]);
        }
        return took;
    }

    private static Histogram histogram() {
        return new Histogram(TimeUnit.SECONDS.toNanos(10), 3);
    }

    private static void print(String name, Histogram histogram) {
        System.out.printf(Locale.ROOT, "%-40s %10.2f %10.2f %10.2f %8d%n", name,
            histogram.getValueAtPercentile(50) / 1000.0, histogram.getValueAtPercentile(99) / 1000.0,
            histogram.getMaxValue() / 1000.0, histogram.getTotalCount());
    }
}
