package org.rdmabus.codec;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;
import org.agrona.MutableDirectBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.impl.Crc32cCalculator;

/**
 * At least a million generated and mutated frames through one decoder and one reassembler, as a poller would see
 * them. Asserts: only typed refusals and no exception; every frame that decodes re-encodes to exactly its bytes; no
 * reassembled message differs from what its sender sent; reassembly memory stays within budget; and, per batch,
 * the receiving side allocates nothing beyond the message buffers it accepted, each at most the maximum message
 * size.
 * <p>
 * Bounded by count and by time. The seed is printed; rerun one with {@code -Drdmabus.fuzz.seed=...}.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class DecoderFuzzTest {
    private static final int TARGET_FRAMES = 1_000_000;
    private static final long TIME_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(60);
    private static final int BATCH = 20_000;
    private static final int ARENA_BYTES = 16 << 20;
    /** Allocation allowed per batch besides accepted message buffers: JIT-free steady state needs none at all. */
    private static final long ALLOCATION_SLACK = 64 * 1024;
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private static final CodecLimits LIMITS = CodecLimits.defaults().withMaxFrameLength(2048)
        .withMaxMessageSize(16 * 1024).withMaxReassemblyBytes(64 * 1024).withMaxPartialMessagesPerSource(3)
        .withMaxSources(8).withRendezvousThreshold(8 * 1024);

    private final SplittableRandom random = new SplittableRandom(seed());
    private final DecodeErrorCounters counters = new DecodeErrorCounters();
    private final FrameDecoder decoder = new FrameDecoder(LIMITS, counters);
    private final Reassembler reassembler = new Reassembler(LIMITS, counters);
    private final Crc32cCalculator crc = new Crc32cCalculator();
    private final List<byte[]> corpus = new ArrayList<>();
    private final Sender[] senders = new Sender[6];
    private final List<byte[]> recentStreamFrames = new ArrayList<>();

    // One batch, laid out before it is measured so that generating it is not counted as decoding it.
    private final VarHandleBuffer arena = new VarHandleBuffer(new byte[ARENA_BYTES]);
    private final int[] offsets = new int[BATCH];
    private final int[] lengths = new int[BATCH];
    private final int[] releaseBefore = new int[BATCH];
    private final boolean[] rawSegment = new boolean[BATCH];
    private final boolean[] decoded = new boolean[BATCH];
    private final byte[][] delivered = new byte[BATCH][];
    private final long[] deliveredEpoch = new long[BATCH];
    private final long[] deliveredId = new long[BATCH];
    private final long[] deliveredMsb = new long[BATCH];
    private final long[] deliveredLsb = new long[BATCH];
    private final VarHandleBuffer rawData = new VarHandleBuffer(new byte[4096]);

    private long framesIn;
    private long refusals;
    private long rejections;
    private long completions;
    private long verifiedCompletions;
    private long reencoded;
    private long peakReserved;

    @Test
    void millionsOfMutatedFramesYieldOnlyTypedErrorsAndNeverAWrongMessage() {
        long seed = seed();
        buildCorpus();
        for (int i = 0; i < senders.length; i++) {
            senders[i] = new Sender(i, i % 2 == 0 ? NodeId.of(new java.util.UUID(random.nextLong() & ~0xF000L | 0x4000L,
                random.nextLong()).toString()) : NodeId.of("fuzz-node-" + i));
        }
        long start = System.nanoTime();
        while (framesIn < TARGET_FRAMES) {
            if (System.nanoTime() - start > TIME_LIMIT_NANOS) {
                fail("seed " + seed + ": only " + framesIn + " frames in " + TIME_LIMIT_NANOS / 1_000_000_000 + " s");
            }
            int count = generateBatch();
            runBatch(count, seed);
            verifyBatch(count, seed);
        }
        long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
        System.out.printf("fuzz seed=%d frames=%d refused=%d segmentRejections=%d completed=%d (checked %d)"
                + " reencoded=%d peakReassemblyBytes=%d in %d ms; by reason %s%n", seed, framesIn, refusals,
            rejections, completions, verifiedCompletions, reencoded, peakReserved, millis, counters.snapshot());

        assertEquals(refusals + rejections, counters.total(), "every refusal is counted exactly once");
        assertTrue(verifiedCompletions >= 200, "the fuzz must also complete real messages, did " + verifiedCompletions);
        assertTrue(reencoded >= TARGET_FRAMES / 10, "the fuzz must also produce valid frames, did " + reencoded);
        assertTrue(counters.snapshot().size() >= 20, "most refusal reasons must be reached: " + counters.snapshot());
    }

    private int generateBatch() {
        int at = 0;
        int count = 0;
        Arrays.fill(delivered, null);
        while (count < BATCH && at < ARENA_BYTES - 4 * LIMITS.maxFrameLength()) {
            releaseBefore[count] = -1;
            byte[] frame;
            int choice = random.nextInt(100);
            rawSegment[count] = choice >= 35 && choice < 40;
            if (choice < 35) {
                frame = nextStreamFrame(count);
                if (random.nextInt(20) == 0) {
                    frame = mutate(frame, false);
                }
            } else if (rawSegment[count]) {
                frame = new byte[0];
            } else {
                frame = mutate(corpus.get(random.nextInt(corpus.size())), true);
            }
            offsets[count] = at;
            lengths[count] = frame.length;
            arena.putBytes(at, frame);
            at += frame.length + random.nextInt(8);
            count++;
        }
        return count;
    }

    private void runBatch(int count, long seed) {
        long allowance = 0;
        long before = Allocations.ofCurrentThread();
        for (int i = 0; i < count; i++) {
            try {
                if (releaseBefore[i] >= 0) {
                    Sender sender = senders[releaseBefore[i]];
                    reassembler.releaseSource(sender.id.mostSignificantBits(), sender.id.leastSignificantBits());
                }
                if (rawSegment[i]) {
                    allowance += feedRawSegment();
                    continue;
                }
                decoded[i] = decoder.decode(arena, offsets[i], lengths[i]);
                if (!decoded[i]) {
                    refusals++;
                    if (decoder.failure().reason() == null) {
                        fail("untyped refusal");
                    }
                    continue;
                }
                if (decoder.isSegment()) {
                    Reassembler.Outcome outcome = reassembler.onSegment(decoder);
                    allowance += accepted(outcome, decoder.segmentOffset(), decoder.segmentTotalLength());
                    if (outcome == Reassembler.Outcome.COMPLETE) {
                        delivered[i] = reassembler.takeMessage();
                        deliveredEpoch[i] = decoder.epoch();
                        deliveredId[i] = reassembler.completedMessageId();
                        deliveredMsb[i] = decoder.sourceMostSignificantBits();
                        deliveredLsb[i] = decoder.sourceLeastSignificantBits();
                    }
                }
            } catch (RuntimeException | AssertionError e) {
                throw new AssertionError("seed " + seed + ", input " + HexFormat.of().formatHex(
                    arena.byteArray(), offsets[i], offsets[i] + lengths[i]), e);
            }
        }
        long allocated = Allocations.ofCurrentThread() - before;
        framesIn += count;
        assertTrue(allocated <= allowance + ALLOCATION_SLACK, "seed " + seed + ": a batch allocated " + allocated
            + " bytes, but accepted messages account for only " + allowance);
    }

    private long accepted(Reassembler.Outcome outcome, int segmentOffset, int totalLength) {
        if (outcome == Reassembler.Outcome.REJECTED) {
            rejections++;
            if (reassembler.failure().reason() == null) {
                fail("untyped rejection");
            }
            return 0;
        }
        peakReserved = Math.max(peakReserved, reassembler.reservedBytes());
        if (reassembler.reservedBytes() > LIMITS.maxReassemblyBytes()) {
            fail("reassembly holds " + reassembler.reservedBytes() + " bytes, over its budget");
        }
        // The only allocation reassembly may make: one message buffer, on its first segment (plus the array's
        // header, 16 bytes with compressed class pointers, rounded up to 8).
        return segmentOffset == 0 ? ((16L + totalLength + 7) & ~7L) : 0;
    }

    private void verifyBatch(int count, long seed) {
        VarHandleBuffer again = new VarHandleBuffer(new byte[LIMITS.maxFrameLength() + FrameLayout.MAX_REASON_LENGTH]);
        for (int i = 0; i < count; i++) {
            if (rawSegment[i] || !decoded[i]) {
                continue;
            }
            assertTrue(decoder.decode(arena, offsets[i], lengths[i]));
            int length = Reencoder.reencode(decoder, again, 0);
            if (length != lengths[i] || !Arrays.equals(again.byteArray(), 0, length, arena.byteArray(), offsets[i],
                offsets[i] + length)) {
                fail("seed " + seed + ": " + decoder + " was read from " + HexFormat.of().formatHex(arena.byteArray(),
                    offsets[i], offsets[i] + lengths[i]) + " but encodes differently");
            }
            reencoded++;
            if (delivered[i] != null) {
                completions++;
                Sender sender = senderOf(deliveredMsb[i], deliveredLsb[i]);
                if (sender != null) {
                    byte[] expected = Sender.content(sender.index, deliveredEpoch[i], deliveredId[i],
                        delivered[i].length);
                    assertTrue(Arrays.equals(expected, delivered[i]), "seed " + seed + ": message " + deliveredId[i]
                        + " of sender " + sender.index + " was delivered with wrong bytes");
                    verifiedCompletions++;
                }
            }
        }
    }

    /** Feeds the reassembler one segment made of random fields, bypassing the decoder's checks. */
    private long feedRawSegment() {
        Sender sender = senders[random.nextInt(senders.length)];
        FrameType[] types = {FrameType.MESSAGE, FrameType.REPLY, FrameType.CREDIT, null};
        int total = switch (random.nextInt(4)) {
            case 0 -> random.nextInt(LIMITS.maxMessageSize()) + 1;
            case 1 -> random.nextInt();
            case 2 -> LIMITS.maxMessageSize() + random.nextInt(1, 1 << 20);
            default -> random.nextInt(64);
        };
        int offset = random.nextInt(3) == 0 ? 0 : random.nextInt(-4, Math.max(1, total));
        int dataOffset = random.nextInt(-4, rawData.capacity());
        int dataLength = random.nextInt(-4, rawData.capacity() + 8);
        Reassembler.Outcome outcome = reassembler.onSegment(sender.id.mostSignificantBits(),
            sender.id.leastSignificantBits(), random.nextInt(3), types[random.nextInt(types.length)],
            random.nextInt(1, 50), total, offset, rawData, dataOffset, dataLength);
        if (outcome == Reassembler.Outcome.COMPLETE) {
            reassembler.takeMessage();
        }
        return accepted(outcome, offset, total);
    }

    private byte[] nextStreamFrame(int entry) {
        Sender sender = senders[random.nextInt(senders.length)];
        int roll = random.nextInt(1000);
        if (roll < 5) {
            releaseBefore[entry] = sender.index;
            sender.abandon();
        } else if (roll < 15) {
            sender.restart();
        } else if (roll < 25 && !recentStreamFrames.isEmpty()) {
            return recentStreamFrames.get(random.nextInt(recentStreamFrames.size()));
        }
        byte[] frame = sender.next(random);
        if (recentStreamFrames.size() < 256) {
            recentStreamFrames.add(frame);
        } else {
            recentStreamFrames.set(random.nextInt(256), frame);
        }
        return frame;
    }

    private Sender senderOf(long msb, long lsb) {
        for (Sender sender : senders) {
            if (sender.id.matches(msb, lsb)) {
                return sender;
            }
        }
        return null;
    }

    private byte[] mutate(byte[] original, boolean mayFixUp) {
        byte[] bytes = original.clone();
        switch (random.nextInt(11)) {
            case 0 -> {
                return bytes;
            }
            case 1, 2 -> bytes[random.nextInt(bytes.length)] ^= (byte) random.nextInt(1, 256);
            case 3 -> {
                for (int k = random.nextInt(2, 9); k > 0; k--) {
                    bytes[random.nextInt(bytes.length)] ^= (byte) random.nextInt(1, 256);
                }
            }
            case 4 -> bytes = Arrays.copyOf(bytes, random.nextInt(bytes.length));
            case 5 -> {
                int old = bytes.length;
                bytes = Arrays.copyOf(bytes, old + random.nextInt(1, 64));
                for (int i = old; i < bytes.length; i++) {
                    bytes[i] = (byte) random.nextInt();
                }
            }
            case 6 -> {
                if (bytes.length >= 4) {
                    int at = random.nextInt(bytes.length - 3);
                    new VarHandleBuffer(bytes).putInt(at, interestingInt(bytes.length), LE);
                }
            }
            case 7 -> {
                byte[] other = corpus.get(random.nextInt(corpus.size()));
                int cut = random.nextInt(Math.min(bytes.length, other.length) + 1);
                byte[] spliced = Arrays.copyOf(bytes, cut + other.length - Math.min(cut, other.length));
                System.arraycopy(other, Math.min(cut, other.length), spliced, cut, other.length - Math.min(cut,
                    other.length));
                bytes = spliced;
            }
            case 8 -> {
                bytes = new byte[random.nextInt(400)];
                for (int i = 0; i < bytes.length; i++) {
                    bytes[i] = (byte) random.nextInt();
                }
                if (bytes.length >= FrameLayout.HEADER_LENGTH && random.nextBoolean()) {
                    // Deep random frames: past magic and version, so every later check gets exercised.
                    VarHandleBuffer view = new VarHandleBuffer(bytes);
                    view.putInt(FrameLayout.MAGIC_OFFSET, FrameLayout.MAGIC, LE);
                    view.putByte(FrameLayout.VERSION_OFFSET, (byte) FrameLayout.VERSION);
                    view.putByte(FrameLayout.TYPE_OFFSET, (byte) random.nextInt(1, 7));
                    view.putShort(FrameLayout.FLAGS_OFFSET, (short) random.nextInt(16), LE);
                    view.putInt(FrameLayout.RESERVED_OFFSET, 0, LE);
                    view.putInt(FrameLayout.CREDITS_OFFSET, random.nextInt(100), LE);
                    view.putInt(FrameLayout.CHECKSUM_OFFSET, 0, LE);
                }
            }
            case 9 -> {
                int at = random.nextInt(bytes.length + 1);
                byte[] changed = new byte[random.nextBoolean() || at == bytes.length ? bytes.length + 1
                    : bytes.length - 1];
                if (changed.length > bytes.length) {
                    System.arraycopy(bytes, 0, changed, 0, at);
                    changed[at] = (byte) random.nextInt();
                    System.arraycopy(bytes, at, changed, at + 1, bytes.length - at);
                } else {
                    System.arraycopy(bytes, 0, changed, 0, at);
                    System.arraycopy(bytes, at + 1, changed, at, bytes.length - at - 1);
                }
                bytes = changed;
            }
            default -> {
                // Structure-aware: damage the body, then make the outer layer consistent again so the body's own
                // checks are what must catch it.
                if (bytes.length > FrameLayout.HEADER_LENGTH) {
                    int at = FrameLayout.HEADER_LENGTH + random.nextInt(bytes.length - FrameLayout.HEADER_LENGTH);
                    bytes[at] ^= (byte) random.nextInt(1, 256);
                }
            }
        }
        if (mayFixUp && bytes.length >= FrameLayout.HEADER_LENGTH && random.nextInt(3) == 0) {
            VarHandleBuffer view = new VarHandleBuffer(bytes);
            view.putInt(FrameLayout.PAYLOAD_LENGTH_OFFSET, bytes.length - FrameLayout.HEADER_LENGTH, LE);
            if ((view.getShort(FrameLayout.FLAGS_OFFSET, LE) & FrameLayout.FLAG_CHECKSUM) != 0) {
                view.putInt(FrameLayout.CHECKSUM_OFFSET, crc.compute(view, FrameLayout.CHECKSUM_COVERAGE_OFFSET,
                    bytes.length - FrameLayout.CHECKSUM_COVERAGE_OFFSET), LE);
            }
        }
        return bytes;
    }

    private int interestingInt(int frameLength) {
        return switch (random.nextInt(9)) {
            case 0 -> 0;
            case 1 -> -1;
            case 2 -> Integer.MIN_VALUE;
            case 3 -> Integer.MAX_VALUE;
            case 4 -> frameLength - FrameLayout.HEADER_LENGTH + random.nextInt(-2, 3);
            case 5 -> LIMITS.maxMessageSize() + random.nextInt(-1, 2);
            case 6 -> LIMITS.maxFrameLength() + random.nextInt(-1, 2);
            case 7 -> random.nextInt(0x10000);
            default -> random.nextInt();
        };
    }

    private void buildCorpus() {
        VarHandleBuffer buffer = new VarHandleBuffer(new byte[LIMITS.maxFrameLength()]);
        NodeId[] nodes = {NodeId.of("6f1c2b4e-3d5a-4e7f-9a8b-1c2d3e4f5a6b"), NodeId.of("corpus-node"),
            NodeId.of("ノード-7")};
        for (int n = 0; n < 3000; n++) {
            FrameEncoder encoder = new FrameEncoder(nodes[random.nextInt(nodes.length)], random.nextLong(),
                random.nextBoolean());
            long seq = random.nextLong();
            int credits = random.nextInt(1000);
            FrameType type = random.nextBoolean() ? FrameType.MESSAGE : FrameType.REPLY;
            int length = switch (random.nextInt(8)) {
                case 0 -> encoder.encodeMessage(buffer, 0, type, seq, credits, rawData, 0,
                    random.nextInt(LIMITS.maxSingleFramePayload() + 1));
                case 1 -> {
                    int total = random.nextInt(1, LIMITS.maxMessageSize() + 1);
                    int offset = random.nextInt(total);
                    int data = random.nextInt(1, Math.min(total - offset, LIMITS.maxSegmentDataLength()) + 1);
                    yield encoder.encodeSegment(buffer, 0, type, seq, credits, random.nextLong(1, 64), total, offset,
                        rawData, 0, data);
                }
                case 2 -> encoder.encodeRendezvous(buffer, 0, type, seq, credits, random.nextLong(),
                    random.nextInt(1, LIMITS.maxMessageSize() + 1), random.nextInt());
                case 3 -> encoder.encodeCredit(buffer, 0, seq, credits);
                case 4 -> encoder.encodeRendezvousDone(buffer, 0, seq, credits, random.nextLong());
                case 5 -> encoder.encodeHello(buffer, 0, seq, credits, random.nextInt(1, Integer.MAX_VALUE),
                    random.nextInt(FrameLayout.MIN_FRAME_LENGTH, Integer.MAX_VALUE));
                case 6 -> encoder.encodeBye(buffer, 0, seq, credits);
                default -> encoder.encodeError(buffer, 0, seq, credits,
                    ErrorCode.values()[random.nextInt(ErrorCode.values().length)], random.nextLong(),
                    "reason ✓ " + "x".repeat(random.nextInt(300)));
            };
            corpus.add(Arrays.copyOf(buffer.byteArray(), length));
        }
        for (int i = 0; i < rawData.capacity(); i++) {
            rawData.putByte(i, (byte) random.nextInt());
        }
    }

    private static long seed() {
        String fixed = System.getProperty("rdmabus.fuzz.seed");
        return fixed != null ? Long.parseLong(fixed) : Holder.SEED;
    }

    private static final class Holder {
        static final long SEED = System.nanoTime();
    }

    /** One sending node: whole messages, segmented with checksums, with ids that grow per incarnation. */
    private static final class Sender {
        final int index;
        final NodeId id;
        long epoch = 1;
        long nextMessageId = 1;
        long sequence;
        final List<List<byte[]>> active = new ArrayList<>();
        final List<Integer> cursors = new ArrayList<>();

        Sender(int index, NodeId id) {
            this.index = index;
            this.id = id;
        }

        void abandon() {
            active.clear();
            cursors.clear();
        }

        void restart() {
            abandon();
            epoch++;
            nextMessageId = 1;
        }

        byte[] next(SplittableRandom random) {
            if (active.size() < 2 && (active.isEmpty() || random.nextInt(8) == 0)) {
                active.add(segments(random));
                cursors.add(0);
            }
            int slot = random.nextInt(active.size());
            List<byte[]> frames = active.get(slot);
            int cursor = cursors.get(slot);
            int roll = random.nextInt(100);
            if (roll < 2 && cursor + 1 < frames.size()) {
                cursor++;
            } else if (roll < 4 && cursor > 0) {
                cursor--;
            }
            byte[] frame = frames.get(cursor);
            if (cursor + 1 >= frames.size()) {
                active.remove(slot);
                cursors.remove(slot);
            } else {
                cursors.set(slot, cursor + 1);
            }
            return frame;
        }

        private List<byte[]> segments(SplittableRandom random) {
            int total = random.nextInt(4) == 0 ? random.nextInt(1, LIMITS.maxMessageSize() + 1)
                : random.nextInt(1, 3000);
            long messageId = nextMessageId++;
            FrameType type = random.nextBoolean() ? FrameType.MESSAGE : FrameType.REPLY;
            Segmenter segmenter = new Segmenter(new FrameEncoder(id, epoch, true));
            segmenter.begin(type, messageId, new VarHandleBuffer(content(index, epoch, messageId, total)), 0, total,
                random.nextInt(FrameLayout.MIN_FRAME_LENGTH, LIMITS.maxFrameLength() + 1));
            List<byte[]> frames = new ArrayList<>();
            while (segmenter.hasNext()) {
                MutableDirectBuffer slab = new VarHandleBuffer(new byte[segmenter.nextFrameLength()]);
                segmenter.next(slab, 0, ++sequence, 1);
                frames.add(slab.byteArray());
            }
            return frames;
        }

        static byte[] content(int sender, long epoch, long messageId, int total) {
            byte[] bytes = new byte[total];
            long state = sender * 0x9E3779B97F4A7C15L ^ epoch * 0xC2B2AE3D27D4EB4FL ^ messageId * 0x165667B19E3779F9L
                ^ total;
            for (int i = 0; i < total; i++) {
                state = state * 6364136223846793005L + 1442695040888963407L;
                bytes[i] = (byte) (state >>> 56);
            }
            return bytes;
        }
    }
}
