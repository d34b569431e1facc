package org.rdmabus.bench;

import java.util.EnumSet;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
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
 * The soft fabric's data-path cost on one thread: post a 64 B SEND (inline) or an 8 B WRITE to a target on another
 * NIC of this JVM, then poll its completion. Run with {@code java -jar rdmabus-bench.jar jmh PostPollBenchmark}.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class PostPollBenchmark {
    private Nic sender;
    private Nic receiver;
    private DcInitiator initiator;
    private CompletionQueue sends;
    private CompletionQueue receives;
    private SharedReceiveQueue srq;
    private MemoryRegion source;
    private MemoryRegion sink;
    private TargetAddress target;
    private final WorkRequest request = new WorkRequest();
    private final Completion[] completions = Completion.array(4);

    /** Opens two NICs, a target with 64 receives and an initiator. */
    @Setup(Level.Trial)
    public void open() {
        NicOptions options = new NicOptions().provider("soft");
        sender = Fabrics.open(options);
        receiver = Fabrics.open(options);
        sends = sender.createCompletionQueue(256);
        initiator = sender.createInitiator(sends, 64);
        source = sender.allocateRegion(4096, EnumSet.of(Access.LOCAL_WRITE));
        receives = receiver.createCompletionQueue(256);
        srq = receiver.createSharedReceiveQueue(64);
        sink = receiver.allocateRegion(64 * 64, EnumSet.of(Access.LOCAL_WRITE, Access.REMOTE_WRITE));
        for (int i = 0; i < 64; i++) {
            srq.postReceive(i, sink, i * 64L, 64);
        }
        DcTarget dct = receiver.createTarget(srq, receives, 1);
        target = dct.address();
    }

    /** Closes both NICs. */
    @TearDown(Level.Trial)
    public void close() {
        sender.close();
        receiver.close();
    }

    /** @return the receive's wrId: SEND, then poll and repost the receive. */
    @Benchmark
    public long sendInlineAndReceive() {
        initiator.post(target, request.sendInline(source.buffer(), 0, 64).signalled(false));
        while (receives.poll(completions) == 0) {
            Thread.onSpinWait();
        }
        long wrId = completions[0].wrId();
        srq.postReceive(wrId, sink, wrId * 64, 64);
        return wrId;
    }

    /** @return the completion's length: a signalled WRITE, then poll its completion. */
    @Benchmark
    public int writeAndComplete() {
        initiator.post(target, request.write(source, 0, 8, sink.remoteAddress(0), sink.rkey()).signalled(true));
        while (sends.poll(completions) == 0) {
            Thread.onSpinWait();
        }
        return completions[0].byteLength();
    }
}
