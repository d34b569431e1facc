package org.rdmabus.transport.reliability;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.Message;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.DecodeErrorCounters;
import org.rdmabus.codec.FrameLayout;
import org.rdmabus.codec.FrameType;
import org.rdmabus.pool.MessageSink;
import org.rdmabus.pool.ReceivedMessage;
import org.rdmabus.transport.impl.Envelope;
import org.rdmabus.transport.impl.InboundHandler;
import org.rdmabus.transport.impl.pool.PoolChannelAccess;
import org.rdmabus.transport.impl.vertx.HookCounters;
import org.rdmabus.transport.testing.Await;
import org.rdmabus.transport.testing.Frames;
import org.rdmabus.transport.testing.TestCluster;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.zip.CRC32;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * At least a million generated and mutated frames into the channel's inbound path, as the receive poller calls it:
 * the pool's {@link MessageSink} of the channel (copy, reassembly) feeding the hook's real inbound dispatcher of a
 * running clustered node, whose consumers check every body they get.
 *
 * <p>Two clean sources send valid messages, whole or segmented, interleaved with four hostile sources that send
 * garbage, segment streams with one thing wrong (a segment dropped, repeated, swapped, resized, renumbered, claiming a
 * size beyond the limit or a negative one, overflowing its message), frames with the wrong segment flag, and Vert.x
 * frames with their framing broken (truncated, extended, a wrong length prefix, a hostile value in any length field
 * of the envelope, an unknown codec, another wire version). Body bytes inside a frame that stays well formed are not
 * altered: such a frame is indistinguishable from a genuine one without an integrity check, which the fabric provides.
 *
 * <p>Proves: nothing throws out of the inbound path; every receive buffer is released exactly once; no call allocates
 * more than the configured maximum message size allows (and a frame claiming a huge size allocates almost nothing);
 * everything the reassembler hands on is exactly a message that was sent; every clean message reaches its consumer
 * once, in order; no consumer ever sees a corrupted body; every frame handed to the dispatcher is accounted for by
 * a typed outcome. Bounded by count and time; the seed is printed ({@code -Drdmabus.fuzz.seed=...} replays one).
 */
@Timeout(value = 300, unit = TimeUnit.SECONDS)
class HostileInboundTest {

    private static final int TARGET_FRAMES = 1_000_000;
    private static final long TIME_LIMIT_NANOS = TimeUnit.SECONDS.toNanos(200);
    private static final int MAX_MESSAGE = 64 * 1024;
    /** The largest payload of one frame: a 4 KiB receive buffer less the frame header. */
    private static final int FRAME_PAYLOAD = 4096 - FrameLayout.HEADER_LENGTH;
    private static final int SEGMENT_DATA = FRAME_PAYLOAD - FrameLayout.SEGMENT_HEADER_LENGTH;
    /** What one call may allocate: copies and Vert.x's decoding of at most one message of the maximum size. */
    private static final long ALLOCATION_BOUND = 3L * MAX_MESSAGE + 64 * 1024;
    /** What a call whose frame claims a size beyond the limit may allocate: nothing near the claim. */
    private static final long OVERSIZED_ALLOCATION_BOUND = 2L * FRAME_PAYLOAD + 8 * 1024;
    private static final int CATCH_UP_EVERY = 5_000;
    /** Allocation is measured after these: the first calls load classes and write the first log line. */
    private static final int WARM_UP_FRAMES = 1_000;
    private static final String[] ADDRESSES = {"hostile.alpha", "hostile.bravo", "hostile.charlie"};
    private static final ByteOrder LE = ByteOrder.LITTLE_ENDIAN;

    private final long seed = Long.getLong("rdmabus.fuzz.seed", System.nanoTime());
    private final SplittableRandom random = new SplittableRandom(seed);
    /** Payloads are slices of this: random letters, made once. */
    private final String letters = randomText(2 * MAX_MESSAGE);
    private final String[] cleanSources = {UUID.randomUUID().toString(), UUID.randomUUID().toString()};
    private final String[] hostileSources = {UUID.randomUUID().toString(), UUID.randomUUID().toString(), UUID.randomUUID().toString(),
        UUID.randomUUID().toString()};
    private final Map<String, Long> nextMessageId = new HashMap<>();
    private final Map<String, Long> nextSequence = new HashMap<>();
    private final FakeReceive handle = new FakeReceive();
    private final VarHandleBuffer scratch = new VarHandleBuffer(new byte[2 * MAX_MESSAGE + 1024]);
    private final List<byte[]> handed = new ArrayList<>();
    private final Map<Kind, Long> framesByKind = new EnumMap<>(Kind.class);
    private final List<String> violations = new ArrayList<>();
    private final List<byte[]> hostileCorpus = new ArrayList<>();

    // Consumer side, on event loops.
    private final AtomicLong consumed = new AtomicLong();
    private final AtomicLong corrupted = new AtomicLong();
    private final List<String> corruptedSamples = new CopyOnWriteArrayList<>();
    private final Map<String, Long> lastCleanSequence = new ConcurrentHashMap<>();
    private final AtomicLong cleanConsumed = new AtomicLong();
    private final AtomicLong outOfOrder = new AtomicLong();
    private final AtomicLong channelFrames = new AtomicLong();

    private EventBus bus;
    private FrameType stepType = FrameType.MESSAGE;
    private MessageSink sink;
    private long frames;
    private long handedTotal;
    private long cleanSent;
    private long maxAllocation;
    private long maxOversizedAllocation;
    private long loggingCalls;
    private final AtomicLong logLines = new AtomicLong();
    private final LinkedHashMap<Integer, byte[]> recentOriginals = new LinkedHashMap<>(64, 0.75f, false) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<Integer, byte[]> eldest) {
            return size() > 64;
        }
    };

    /** What a step feeds. */
    private enum Kind { CLEAN, GARBAGE, GARBAGE_SEGMENT, BROKEN_FRAME, BROKEN_SEGMENTS, OVERSIZED_SEGMENT, WRONG_FLAG }

    @Test
    void aMillionHostileFramesYieldOnlyTypedErrorsAndNeverACorruptedMessage() {
        System.out.println("HostileInboundTest seed " + seed + " (-Drdmabus.fuzz.seed=" + seed + " replays it)");
        Logger vertxMessages = Logger.getLogger("io.vertx.core.eventbus.impl.clustered.ClusteredMessage");
        Level vertxLevel = vertxMessages.getLevel();
        // Vert.x logs each frame of a newer wire version or an unknown codec; a million of them would only be noise.
        vertxMessages.setLevel(Level.OFF);
        Logger rdmabus = Logger.getLogger("org.rdmabus");
        Handler lineCounter = new Handler() {
            @Override
            public void publish(LogRecord record) {
                logLines.incrementAndGet();
            }

            @Override
            public void flush() {
            }

            @Override
            public void close() {
            }
        };
        rdmabus.addHandler(lineCounter);
        try (TestCluster cluster = TestCluster.start("hostile", 1, TestCluster.rdmabusOn())) {
            bus = cluster.node(0).eventBus();
            for (String address : ADDRESSES) {
                Await.result(bus.consumer(address, this::consume).completion());
            }
            InboundHandler dispatcher = cluster.channel(0).inboundHandler();
            HookCounters counters = cluster.counters(0);
            DecodeErrorCounters decodeErrors = new DecodeErrorCounters();
            sink = PoolChannelAccess.inboundAssembler((source, message) -> {
                handed.add(message.getBytes());
                dispatcher.handle(source, message);
            }, (source, buffer, offset, length, received) -> {
                channelFrames.incrementAndGet(); // what chance made an RdmaChannel frame is that API's to judge, not this test's
                received.release();
            }, MAX_MESSAGE, decodeErrors);
            long[] before = outcomes(counters);

            long start = System.nanoTime();
            while (frames < TARGET_FRAMES && System.nanoTime() - start < TIME_LIMIT_NANOS) {
                step();
                if (frames / CATCH_UP_EVERY != (frames - 1) / CATCH_UP_EVERY) {
                    // The dispatcher hands messages to the event loop; let the consumers keep up so that queues stay bounded.
                    Await.until("the consumers catch up", Duration.ofSeconds(60), () -> consumed.get() + corrupted.get() >= counters.inboundDelivered() - before[0]);
                }
                if (violations.size() > 20) {
                    break;
                }
            }
            long elapsedMillis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            Await.until("the consumers catch up", Duration.ofSeconds(60), () -> consumed.get() + corrupted.get() >= counters.inboundDelivered() - before[0]);
            long[] after = outcomes(counters);

            assertEquals(List.of(), violations, "seed " + seed);
            assertTrue(frames >= TARGET_FRAMES, frames + " frames within the time limit, seed " + seed);
            assertEquals(0, corrupted.get(), "corrupted messages delivered, e.g. " + corruptedSamples + ", seed " + seed);
            assertEquals(0, outOfOrder.get(), "clean messages out of order, seed " + seed);
            assertEquals(cleanSent, cleanConsumed.get(), "clean messages consumed, seed " + seed);
            long accounted = 0;
            for (int i = 0; i < after.length; i++) {
                accounted += after[i] - before[i];
            }
            assertEquals(handedTotal, accounted, "every frame handed to the dispatcher has a typed outcome: " + counters);
            assertTrue(maxAllocation <= ALLOCATION_BOUND, "a call allocated " + maxAllocation + " bytes");
            assertTrue(maxOversizedAllocation <= OVERSIZED_ALLOCATION_BOUND, "a frame claiming an oversized message allocated " + maxOversizedAllocation);
            assertTrue(decodeErrors.total() > 0 && after[2] - before[2] > 0, "hostile input was refused at both layers");

            System.out.printf("FIGURES hostile: frames=%d in %d ms, by kind %s; handed to the dispatcher %d: delivered %d, noHandlers %d, malformed %d,"
                    + " decodingFailures %d, pings %d; to RdmaChannel %d; reassembler refusals %s; consumed %d (clean %d of %d), corrupted %d; max allocation per call %d B,"
                    + " for oversized claims %d B (limit %d B); %d calls that wrote a log line not measured%n",
                frames, elapsedMillis, framesByKind, handedTotal, after[0] - before[0], after[1] - before[1], after[2] - before[2], after[3] - before[3],
                after[4] - before[4], channelFrames.get(), decodeErrors.snapshot(), consumed.get(), cleanConsumed.get(), cleanSent, corrupted.get(), maxAllocation,
                maxOversizedAllocation, MAX_MESSAGE, loggingCalls);
        } finally {
            vertxMessages.setLevel(vertxLevel);
            rdmabus.removeHandler(lineCounter);
        }
    }

    private static long[] outcomes(HookCounters counters) {
        return new long[] {counters.inboundDelivered(), counters.inboundNoHandlers(), counters.inboundMalformed(), counters.inboundDecodingFailures(),
            counters.inboundPings(), counters.inboundBeforeStart()};
    }

    // ---------------------------------------------------------------- steps

    private void step() {
        // One type per step: the segments of one message all carry their message's type.
        stepType = random.nextInt(8) == 0 ? FrameType.REPLY : FrameType.MESSAGE;
        int dice = random.nextInt(100);
        if (dice < 25) {
            clean();
        } else if (dice < 35) {
            garbage(Kind.GARBAGE, 0);
        } else if (dice < 43) {
            garbage(Kind.GARBAGE_SEGMENT, FrameLayout.FLAG_SEGMENT);
        } else if (dice < 68) {
            brokenFrame();
        } else if (dice < 88) {
            brokenSegments();
        } else if (dice < 94) {
            oversizedSegment();
        } else {
            wrongFlag();
        }
    }

    private void clean() {
        String source = cleanSources[random.nextInt(cleanSources.length)];
        byte[] message = message(source);
        cleanSent++;
        handed.clear();
        if (message.length + Envelope.LENGTH <= FRAME_PAYLOAD) {
            byte[] frame = enveloped(message);
            feed(Kind.CLEAN, source, frame, 0, frame.length, 0, false);
        } else {
            for (byte[] segment : segments(source, message)) {
                feed(Kind.CLEAN, source, segment, 0, segment.length, FrameLayout.FLAG_SEGMENT, false);
            }
        }
        if (handed.size() != 1 || !Arrays.equals(handed.get(0), message)) {
            violation("a clean message of " + message.length + " bytes was handed on as " + handed.size() + " message(s)");
        }
    }

    private void garbage(Kind kind, int flags) {
        String source = hostile();
        int length = random.nextInt(10) == 0 ? random.nextInt(FRAME_PAYLOAD + 1) : random.nextInt(64);
        byte[] bytes = new byte[length];
        for (int i = 0; i < length; i++) {
            bytes[i] = (byte) random.nextInt(256);
        }
        if (flags != 0 && length >= FrameLayout.SEGMENT_HEADER_LENGTH && random.nextBoolean()) {
            // A plausible segment header over random data: offset 0, a total within the limit.
            VarHandleBuffer header = new VarHandleBuffer(bytes);
            header.putInt(FrameLayout.SEGMENT_TOTAL_LENGTH_OFFSET, random.nextInt(MAX_MESSAGE) + 1, LE);
            header.putInt(FrameLayout.SEGMENT_OFFSET_OFFSET, 0, LE);
        }
        handed.clear();
        if (flags != 0 || random.nextInt(8) == 0) {
            // Segments, and now and then a whole frame with whatever first byte chance gives it as its envelope.
            feed(kind, source, bytes, 0, length, flags, false);
            if (flags == 0) {
                expectHandedOn(bytes);
            }
            return;
        }
        byte[] frame = enveloped(bytes);
        feed(kind, source, frame, 0, frame.length, 0, false);
        expectHandedOn(frame);
    }

    /**
     * A whole frame goes to the dispatcher exactly as received, without its envelope, when the envelope says event
     * bus; an empty frame is a liveness probe, and anything else is dropped.
     */
    private void expectHandedOn(byte[] frame) {
        boolean eventBus = frame.length > 0 && frame[Envelope.PROTOCOL_OFFSET] == Envelope.EVENT_BUS;
        if (!eventBus) {
            if (!handed.isEmpty()) {
                violation("a frame without the event-bus envelope was handed on");
            }
            return;
        }
        if (handed.size() != 1 || !Arrays.equals(handed.get(0), Arrays.copyOfRange(frame, Envelope.LENGTH, frame.length))) {
            violation("a whole frame was not handed on exactly as received");
        }
    }

    private static byte[] enveloped(byte[] message) {
        byte[] frame = new byte[Envelope.LENGTH + message.length];
        frame[Envelope.PROTOCOL_OFFSET] = Envelope.EVENT_BUS;
        System.arraycopy(message, 0, frame, Envelope.LENGTH, message.length);
        return frame;
    }

    private void brokenFrame() {
        String source = hostile();
        byte[] frame = message(source);
        if (frame.length + Envelope.LENGTH > FRAME_PAYLOAD) {
            // A frame as large as a receive buffer allows, prefix now wrong.
            frame = Arrays.copyOf(frame, FRAME_PAYLOAD - Envelope.LENGTH);
        } else {
            frame = breakFraming(frame);
        }
        handed.clear();
        byte[] wire = enveloped(frame);
        feed(Kind.BROKEN_FRAME, source, wire, 0, wire.length, 0, false);
        expectHandedOn(wire);
    }

    private byte[] breakFraming(byte[] valid) {
        Buffer frame = Buffer.buffer(valid);
        switch (random.nextInt(6)) {
            case 0 -> {
                return Arrays.copyOf(valid, 1 + random.nextInt(valid.length - 1)); // truncated, prefix kept
            }
            case 1 -> {
                byte[] longer = Arrays.copyOf(valid, valid.length + 1 + random.nextInt(32));
                longer[valid.length] = (byte) random.nextInt(256);
                return longer; // extended, prefix kept
            }
            case 2 -> frame.setInt(0, random.nextInt());
            case 3 -> {
                // A hostile value in one of the envelope's length fields (address, reply address, sender, headers).
                int[] fields = lengthFields(valid);
                int at = fields[random.nextInt(fields.length)];
                int[] hostile = {Integer.MAX_VALUE, Integer.MIN_VALUE, -1, valid.length, random.nextInt(), random.nextInt(MAX_MESSAGE)};
                frame.setInt(at, hostile[random.nextInt(hostile.length)]);
            }
            case 4 -> frame.setByte(5, (byte) (18 + random.nextInt(200))); // no such codec (ids wrap to negatives too)
            default -> frame.setByte(4, (byte) random.nextInt(256)); // another wire version
        }
        return frame.getBytes();
    }

    private static int[] lengthFields(byte[] frame) {
        Buffer buffer = Buffer.buffer(frame);
        int position = 7;
        int[] fields = new int[4];
        for (int i = 0; i < 3; i++) {
            fields[i] = position;
            position += 4 + buffer.getInt(position);
        }
        fields[3] = position;
        return fields;
    }

    private void brokenSegments() {
        String source = hostile();
        byte[] message = hostileLargeMessage(source);
        List<byte[]> segments = segments(source, message);
        remember(message);
        int victim = random.nextInt(segments.size());
        VarHandleBuffer header = new VarHandleBuffer(segments.get(victim));
        switch (random.nextInt(8)) {
            case 0 -> segments.remove(victim);
            case 1 -> segments.add(victim, segments.get(victim).clone());
            case 2 -> {
                int other = (victim + 1) % segments.size();
                byte[] swapped = segments.get(victim);
                segments.set(victim, segments.get(other));
                segments.set(other, swapped);
            }
            case 3 -> header.putInt(FrameLayout.SEGMENT_TOTAL_LENGTH_OFFSET, message.length + 1 + random.nextInt(1000), LE);
            case 4 -> header.putInt(FrameLayout.SEGMENT_OFFSET_OFFSET, header.getInt(FrameLayout.SEGMENT_OFFSET_OFFSET, LE) + 1 + random.nextInt(100), LE);
            case 5 -> header.putLong(FrameLayout.SEGMENT_MESSAGE_ID_OFFSET, random.nextLong(), LE);
            case 6 -> segments.set(victim, Arrays.copyOf(segments.get(victim), random.nextInt(FrameLayout.SEGMENT_HEADER_LENGTH)));
            default -> {
                // More data than the message has room for.
                byte[] longer = Arrays.copyOf(segments.get(victim), Math.min(FRAME_PAYLOAD, segments.get(victim).length + 1 + random.nextInt(64)));
                segments.set(victim, longer);
            }
        }
        handed.clear();
        for (byte[] segment : segments) {
            feed(Kind.BROKEN_SEGMENTS, source, segment, 0, segment.length, FrameLayout.FLAG_SEGMENT, false);
        }
        if (handed.size() > 1) {
            violation("one broken segment stream was handed on as " + handed.size() + " messages");
        }
        for (byte[] whole : handed) {
            if (!Arrays.equals(recentOriginals.get(Arrays.hashCode(whole)), whole)) {
                violation("the reassembler handed on a message nobody sent (" + whole.length + " bytes)");
            }
        }
    }

    private void oversizedSegment() {
        String source = hostile();
        int data = random.nextInt(SEGMENT_DATA + 1);
        byte[] segment = new byte[FrameLayout.SEGMENT_HEADER_LENGTH + data];
        VarHandleBuffer header = new VarHandleBuffer(segment);
        header.putLong(FrameLayout.SEGMENT_MESSAGE_ID_OFFSET, nextId(source), LE);
        int[] claims = {MAX_MESSAGE + 1, Integer.MAX_VALUE, Integer.MIN_VALUE, -1, MAX_MESSAGE + 1 + random.nextInt(Integer.MAX_VALUE - MAX_MESSAGE - 1)};
        header.putInt(FrameLayout.SEGMENT_TOTAL_LENGTH_OFFSET, claims[random.nextInt(claims.length)], LE);
        header.putInt(FrameLayout.SEGMENT_OFFSET_OFFSET, 0, LE);
        handed.clear();
        feed(Kind.OVERSIZED_SEGMENT, source, segment, 0, segment.length, FrameLayout.FLAG_SEGMENT, true);
        if (!handed.isEmpty()) {
            violation("a segment of an oversized message was handed on");
        }
    }

    private void wrongFlag() {
        String source = hostile();
        handed.clear();
        if (random.nextBoolean()) {
            byte[] whole = enveloped(message(source));
            if (whole.length > FRAME_PAYLOAD) {
                return;
            }
            feed(Kind.WRONG_FLAG, source, whole, 0, whole.length, FrameLayout.FLAG_SEGMENT, false);
        } else {
            byte[] message = hostileLargeMessage(source);
            byte[] first = segments(source, message).get(0);
            feed(Kind.WRONG_FLAG, source, first, 0, first.length, 0, false);
            expectHandedOn(first); // its first byte, the message id's lowest, reads as an envelope
        }
    }

    // ---------------------------------------------------------------- feeding

    private void feed(Kind kind, String source, byte[] bytes, int offset, int length, int flags, boolean oversizedClaim) {
        int at = random.nextInt(64); // anywhere in the receive buffer
        scratch.putBytes(at, bytes, offset, length);
        handle.reset(stepType, flags);
        int handedBefore = handed.size();
        long logLinesBefore = logLines.get();
        long allocated = ThreadAllocations.ofCurrentThread();
        try {
            sink.onMessage(source, scratch, at, length, handle);
        } catch (Throwable t) {
            violation(kind + " frame of " + length + " bytes threw " + t);
        }
        allocated = ThreadAllocations.ofCurrentThread() - allocated;
        // The test's own copy of what was handed on is not the inbound path's allocation.
        for (int i = handedBefore; i < handed.size(); i++) {
            allocated -= 16 + handed.get(i).length;
        }
        if (logLines.get() != logLinesBefore) {
            loggingCalls++; // what the logging framework allocates for its line (one per 10 s at most) is not the inbound path's
        } else if (frames >= WARM_UP_FRAMES) {
            maxAllocation = Math.max(maxAllocation, allocated);
            if (oversizedClaim) {
                maxOversizedAllocation = Math.max(maxOversizedAllocation, allocated);
            }
        }
        if (handle.releases != 1) {
            violation(kind + " frame: its receive buffer was released " + handle.releases + " times");
        }
        handedTotal += handed.size() - handedBefore;
        framesByKind.merge(kind, 1L, Long::sum);
        frames++;
    }

    private String hostile() {
        return hostileSources[random.nextInt(hostileSources.length)];
    }

    private long nextId(String source) {
        return nextMessageId.merge(source, 1L, Long::sum);
    }

    private void remember(byte[] message) {
        recentOriginals.put(Arrays.hashCode(message), message);
    }

    /** A message from a source: mostly small, sometimes larger than a frame. */
    private byte[] message(String source) {
        return random.nextInt(10) == 0 ? largeMessage(source) : encode(source, random.nextInt(600));
    }

    private byte[] largeMessage(String source) {
        return encode(source, FRAME_PAYLOAD + random.nextInt(MAX_MESSAGE - FRAME_PAYLOAD - 1024));
    }

    /** A large message of a hostile source; mostly one made earlier, since making them costs more than feeding them. */
    private byte[] hostileLargeMessage(String source) {
        if (hostileCorpus.size() < 64 || random.nextInt(8) == 0) {
            byte[] fresh = largeMessage(source);
            if (hostileCorpus.size() < 64) {
                hostileCorpus.add(fresh);
            } else {
                hostileCorpus.set(random.nextInt(hostileCorpus.size()), fresh);
            }
            return fresh;
        }
        return hostileCorpus.get(random.nextInt(hostileCorpus.size()));
    }

    /** A Vert.x frame whose body carries its source, sequence and a checksum of its payload. */
    private byte[] encode(String source, int payloadLength) {
        int from = random.nextInt(letters.length() - payloadLength);
        String payload = letters.substring(from, from + payloadLength);
        CRC32 crc = new CRC32();
        crc.update(payload.getBytes(StandardCharsets.US_ASCII));
        long sequence = nextSequence.merge(source, 1L, Long::sum);
        String body = "hb|" + source + "|" + sequence + "|" + crc.getValue() + "|" + payload;
        return Frames.send(bus, source, ADDRESSES[random.nextInt(ADDRESSES.length)], null, body).getBytes();
    }

    private String randomText(int length) {
        StringBuilder text = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            text.append((char) ('a' + random.nextInt(26)));
        }
        return text.toString();
    }

    private List<byte[]> segments(String source, byte[] message) {
        long id = nextId(source);
        List<byte[]> segments = new ArrayList<>();
        for (int offset = 0; offset < message.length; offset += SEGMENT_DATA) {
            int data = Math.min(SEGMENT_DATA, message.length - offset);
            byte[] segment = new byte[FrameLayout.SEGMENT_HEADER_LENGTH + data];
            VarHandleBuffer header = new VarHandleBuffer(segment);
            header.putLong(FrameLayout.SEGMENT_MESSAGE_ID_OFFSET, id, LE);
            header.putInt(FrameLayout.SEGMENT_TOTAL_LENGTH_OFFSET, message.length, LE);
            header.putInt(FrameLayout.SEGMENT_OFFSET_OFFSET, offset, LE);
            System.arraycopy(message, offset, segment, FrameLayout.SEGMENT_HEADER_LENGTH, data);
            segments.add(segment);
        }
        return segments;
    }

    private void violation(String what) {
        if (violations.size() <= 20) {
            violations.add(what + " (frame " + frames + ")");
        }
    }

    // ---------------------------------------------------------------- consumers

    private void consume(Message<Object> message) {
        Object body;
        try {
            body = message.body();
        } catch (RuntimeException unreadable) {
            body = unreadable;
        }
        String text = body instanceof String ? (String) body : null;
        String[] parts = text == null ? null : text.split("\\|", 5);
        if (parts == null || parts.length != 5 || !parts[0].equals("hb") || !checksumMatches(parts)) {
            corrupted.incrementAndGet();
            if (corruptedSamples.size() < 5) {
                corruptedSamples.add(String.valueOf(body).substring(0, Math.min(80, String.valueOf(body).length())));
            }
            return;
        }
        consumed.incrementAndGet();
        if (parts[1].equals(cleanSources[0]) || parts[1].equals(cleanSources[1])) {
            cleanConsumed.incrementAndGet();
            long sequence = Long.parseLong(parts[2]);
            Long previous = lastCleanSequence.put(parts[1] + "|" + message.address(), sequence);
            if (previous != null && previous >= sequence) {
                outOfOrder.incrementAndGet();
            }
        }
    }

    private static boolean checksumMatches(String[] parts) {
        CRC32 crc = new CRC32();
        crc.update(parts[4].getBytes(StandardCharsets.UTF_8));
        try {
            return Long.parseLong(parts[3]) == crc.getValue();
        } catch (NumberFormatException e) {
            return false;
        }
    }

    /** The receive buffer behind a frame, as the pool lends it; counts its releases. */
    private static final class FakeReceive implements ReceivedMessage {
        private FrameType type;
        private int flags;
        private int releases;

        void reset(FrameType type, int flags) {
            this.type = type;
            this.flags = flags;
            this.releases = 0;
        }

        @Override
        public FrameType type() {
            return type;
        }

        @Override
        public int flags() {
            return flags;
        }

        @Override
        public long sequence() {
            return 0;
        }

        @Override
        public void release() {
            releases++;
        }

        @Override
        public boolean isReleased() {
            return releases > 0;
        }
    }
}
