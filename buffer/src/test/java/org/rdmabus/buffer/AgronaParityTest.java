package org.rdmabus.buffer;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Function;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.AtomicBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * Every method of {@link VarHandleBuffer} against Agrona's {@link UnsafeBuffer}: seeded random sequences of calls,
 * each made with the same arguments on both buffers over equal memory, must return the same values (or throw the
 * same exception class) and leave the same bytes. Heap and direct memory with a wrap offset, indices that are
 * sometimes out of bounds, and for the ASCII numbers every boundary of {@code int} and {@code long}.
 *
 * <p>The only test that needs {@code --add-exports java.base/jdk.internal.misc=ALL-UNNAMED}: Agrona's buffer is the
 * reference. The module's pom gives that flag, and {@code rdmabus.test.agronaReference}, to this class's JVM alone.
 */
class AgronaParityTest {
    private static final int TRIALS = 300;
    private static final int CALLS = 200;
    private static final String[] NUMBERS = {
        "0", "7", "-0", "-", "12a", " 1", "+1", "2147483647", "2147483648", "-2147483648", "-2147483649",
        "0002147483647", "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
        "99999999999999999999", "1234567x90", "12345678x0", "00000000000000000001", "-12345678901234567", "42"};

    @BeforeAll
    static void inTheFlaggedJvm() {
        // -Dtest=AgronaParityTest also selects it in the default execution, whose JVM has no export.
        assumeTrue(Boolean.getBoolean("rdmabus.test.agronaReference"),
            "runs in the agrona-parity execution, whose JVM alone has the export Agrona's buffer needs");
    }

    @Test
    void theReferenceIsAgronasOwnBuffer() {
        // Guards the comparison itself: without the export Agrona's buffer would fail every call alike.
        UnsafeBuffer agrona = new UnsafeBuffer(new byte[8]);
        agrona.putLongVolatile(0, 42);
        if (agrona.getLong(0) != 42) {
            fail("Agrona's buffer does not work in this JVM");
        }
    }

    @Test
    void heapBuffersAgreeOnEveryPlainMethod() {
        compare(false, plainCalls());
    }

    @Test
    void directBuffersAgreeOnEveryPlainMethod() {
        compare(true, plainCalls());
    }

    @Test
    void directBuffersAgreeOnEveryAtomicMethod() {
        compare(true, atomicCalls());
    }

    private static void compare(boolean direct, List<Call> calls) {
        for (int trial = 0; trial < TRIALS; trial++) {
            long seed = 0x5eedL * 31 + trial + (direct ? 1_000_000 : 0);
            Random random = new Random(seed);
            int capacity = 8 * (4 + random.nextInt(28));
            int offset = 8 * random.nextInt(3);
            AtomicBuffer agrona = memory(new UnsafeBuffer(), direct, offset, capacity, seed);
            AtomicBuffer ours = memory(new VarHandleBuffer(), direct, offset, capacity, seed);
            for (int n = 0; n < CALLS; n++) {
                Call call = calls.get(random.nextInt(calls.size()));
                Args args = new Args(random, capacity, direct);
                Object expected = outcome(call, agrona, args);
                Object actual = outcome(call, ours, args);
                String where = "seed " + seed + ", call " + n + ": " + call.name + args;
                assertEquals(expected, actual, where);
                assertArrayEquals(bytes(agrona), bytes(ours), where + " left different bytes");
            }
        }
    }

    private static AtomicBuffer memory(AtomicBuffer buffer, boolean direct, int offset, int capacity, long seed) {
        byte[] content = new byte[capacity];
        new Random(seed).nextBytes(content);
        if (direct) {
            ByteBuffer memory = ByteBuffer.allocateDirect(offset + capacity + 8).alignedSlice(8);
            buffer.wrap(memory, offset, capacity);
        } else {
            buffer.wrap(new byte[offset + capacity + 3], offset, capacity);
        }
        buffer.putBytes(0, content);
        return buffer;
    }

    private static Object outcome(Call call, AtomicBuffer buffer, Args args) {
        try {
            Object result = call.body.apply(new Target(buffer, args, new StringBuilder()));
            return result instanceof byte[] bytes ? Arrays.toString(bytes) : result;
        } catch (RuntimeException e) {
            return e.getClass().getName();
        }
    }

    private static byte[] bytes(AtomicBuffer buffer) {
        byte[] bytes = new byte[buffer.capacity()];
        buffer.getBytes(0, bytes);
        return bytes;
    }

    private static List<Call> plainCalls() {
        List<Call> calls = new ArrayList<>();
        add(calls, "getLong", t -> t.b.getLong(t.a.index));
        add(calls, "getLong order", t -> t.b.getLong(t.a.index, t.a.order));
        add(calls, "putLong", t -> { t.b.putLong(t.a.index, t.a.value); return null; });
        add(calls, "putLong order", t -> { t.b.putLong(t.a.index, t.a.value, t.a.order); return null; });
        add(calls, "getInt", t -> t.b.getInt(t.a.index));
        add(calls, "getInt order", t -> t.b.getInt(t.a.index, t.a.order));
        add(calls, "putInt", t -> { t.b.putInt(t.a.index, (int) t.a.value); return null; });
        add(calls, "putInt order", t -> { t.b.putInt(t.a.index, (int) t.a.value, t.a.order); return null; });
        add(calls, "getShort", t -> t.b.getShort(t.a.index));
        add(calls, "getShort order", t -> t.b.getShort(t.a.index, t.a.order));
        add(calls, "putShort", t -> { t.b.putShort(t.a.index, (short) t.a.value); return null; });
        add(calls, "putShort order", t -> { t.b.putShort(t.a.index, (short) t.a.value, t.a.order); return null; });
        add(calls, "getChar", t -> t.b.getChar(t.a.index));
        add(calls, "getChar order", t -> t.b.getChar(t.a.index, t.a.order));
        add(calls, "putChar", t -> { t.b.putChar(t.a.index, (char) t.a.value); return null; });
        add(calls, "putChar order", t -> { t.b.putChar(t.a.index, (char) t.a.value, t.a.order); return null; });
        add(calls, "getDouble", t -> Double.doubleToRawLongBits(t.b.getDouble(t.a.index)));
        add(calls, "getDouble order", t -> Double.doubleToRawLongBits(t.b.getDouble(t.a.index, t.a.order)));
        add(calls, "putDouble", t -> { t.b.putDouble(t.a.index, Double.longBitsToDouble(t.a.value)); return null; });
        add(calls, "putDouble order", t -> {
            t.b.putDouble(t.a.index, Double.longBitsToDouble(t.a.value), t.a.order);
            return null;
        });
        add(calls, "getFloat", t -> Float.floatToRawIntBits(t.b.getFloat(t.a.index)));
        add(calls, "getFloat order", t -> Float.floatToRawIntBits(t.b.getFloat(t.a.index, t.a.order)));
        add(calls, "putFloat", t -> { t.b.putFloat(t.a.index, Float.intBitsToFloat((int) t.a.value)); return null; });
        add(calls, "putFloat order", t -> {
            t.b.putFloat(t.a.index, Float.intBitsToFloat((int) t.a.value), t.a.order);
            return null;
        });
        add(calls, "getByte", t -> t.b.getByte(t.a.index));
        add(calls, "putByte", t -> { t.b.putByte(t.a.index, (byte) t.a.value); return null; });
        addByteRanges(calls);
        addStrings(calls);
        addNumbers(calls);
        add(calls, "capacity", t -> t.b.capacity());
        add(calls, "checkLimit", t -> { t.b.checkLimit(t.a.index); return null; });
        add(calls, "boundsCheck", t -> { t.b.boundsCheck(t.a.index, t.a.length); return null; });
        add(calls, "wrapAdjustment", t -> t.b.wrapAdjustment());
        add(calls, "isExpandable", t -> t.b.isExpandable());
        add(calls, "hashCode", t -> t.b.hashCode());
        add(calls, "compareTo", t -> Integer.signum(t.b.compareTo(t.a.other(t.b, false))));
        add(calls, "equals", t -> t.b.equals(t.a.other(t.b, false)));
        return calls;
    }

    private static void addByteRanges(List<Call> calls) {
        add(calls, "getBytes array", t -> {
            byte[] dst = new byte[t.a.length];
            t.b.getBytes(t.a.index, dst);
            return dst;
        });
        add(calls, "getBytes array range", t -> {
            byte[] dst = new byte[t.a.length + 4];
            t.b.getBytes(t.a.index, dst, t.a.small, t.a.length);
            return dst;
        });
        add(calls, "getBytes buffer", t -> {
            MutableDirectBuffer dst = t.a.other(t.b, t.a.flag);
            t.b.getBytes(t.a.index, dst, t.a.small, t.a.length);
            return t.a.content(dst);
        });
        add(calls, "getBytes ByteBuffer position", t -> {
            ByteBuffer dst = t.a.byteBuffer();
            t.b.getBytes(t.a.index, dst, t.a.length);
            return t.a.content(dst);
        });
        add(calls, "getBytes ByteBuffer offset", t -> {
            ByteBuffer dst = t.a.byteBuffer();
            t.b.getBytes(t.a.index, dst, t.a.small, t.a.length);
            return t.a.content(dst);
        });
        add(calls, "putBytes array", t -> { t.b.putBytes(t.a.index, t.a.bytes(t.a.length)); return null; });
        add(calls, "putBytes array range", t -> {
            t.b.putBytes(t.a.index, t.a.bytes(t.a.length + 4), t.a.small, t.a.length);
            return null;
        });
        add(calls, "putBytes ByteBuffer position", t -> {
            ByteBuffer src = t.a.byteBuffer();
            t.b.putBytes(t.a.index, src, t.a.length);
            return src.position();
        });
        add(calls, "putBytes ByteBuffer offset", t -> {
            t.b.putBytes(t.a.index, t.a.byteBuffer(), t.a.small, t.a.length);
            return null;
        });
        add(calls, "putBytes buffer", t -> {
            t.b.putBytes(t.a.index, t.a.other(t.b, t.a.flag), t.a.small, t.a.length);
            return null;
        });
        add(calls, "getBytes into an Agrona buffer", t -> {
            MutableDirectBuffer dst = t.a.agrona(t.a.flag);
            t.b.getBytes(t.a.index, dst, t.a.small, t.a.length);
            return t.a.content(dst);
        });
        add(calls, "putBytes from an Agrona buffer", t -> {
            t.b.putBytes(t.a.index, t.a.agrona(t.a.flag), t.a.small, t.a.length);
            return null;
        });
        add(calls, "putBytes itself", t -> { t.b.putBytes(t.a.index, t.b, t.a.small, t.a.length); return null; });
        add(calls, "setMemory", t -> { t.b.setMemory(t.a.index, t.a.length, (byte) t.a.value); return null; });
    }

    private static void addStrings(List<Call> calls) {
        add(calls, "getStringAscii", t -> t.b.getStringAscii(t.a.ascii(t.b)));
        add(calls, "getStringAscii order", t -> t.b.getStringAscii(t.a.ascii(t.b), t.a.order));
        add(calls, "getStringAscii appendable", t -> appended(t.b.getStringAscii(t.a.ascii(t.b), t.sink), t.sink));
        add(calls, "getStringAscii appendable order",
            t -> appended(t.b.getStringAscii(t.a.ascii(t.b), t.sink, t.a.order), t.sink));
        add(calls, "getStringAscii length", t -> t.b.getStringAscii(t.a.index, t.a.length));
        add(calls, "getStringAscii length appendable",
            t -> appended(t.b.getStringAscii(t.a.index, t.a.length, t.sink), t.sink));
        add(calls, "getStringWithoutLengthAscii", t -> t.b.getStringWithoutLengthAscii(t.a.index, t.a.length));
        add(calls, "getStringWithoutLengthAscii appendable",
            t -> appended(t.b.getStringWithoutLengthAscii(t.a.index, t.a.length, t.sink), t.sink));
        add(calls, "getStringUtf8", t -> t.b.getStringUtf8(t.a.utf8(t.b)));
        add(calls, "getStringUtf8 order", t -> t.b.getStringUtf8(t.a.utf8(t.b), t.a.order));
        add(calls, "getStringUtf8 length", t -> t.b.getStringUtf8(t.a.index, t.a.length));
        add(calls, "getStringWithoutLengthUtf8", t -> t.b.getStringWithoutLengthUtf8(t.a.index, t.a.length));
        add(calls, "putStringAscii", t -> t.b.putStringAscii(t.a.index, t.a.text));
        add(calls, "putStringAscii chars", t -> t.b.putStringAscii(t.a.index, (CharSequence) t.a.text));
        add(calls, "putStringAscii order", t -> t.b.putStringAscii(t.a.index, t.a.text, t.a.order));
        add(calls, "putStringAscii chars order",
            t -> t.b.putStringAscii(t.a.index, (CharSequence) t.a.text, t.a.order));
        add(calls, "putStringWithoutLengthAscii", t -> t.b.putStringWithoutLengthAscii(t.a.index, t.a.text));
        add(calls, "putStringWithoutLengthAscii chars",
            t -> t.b.putStringWithoutLengthAscii(t.a.index, (CharSequence) t.a.text));
        add(calls, "putStringWithoutLengthAscii range",
            t -> t.b.putStringWithoutLengthAscii(t.a.index, t.a.text, t.a.small, t.a.length));
        add(calls, "putStringWithoutLengthAscii chars range",
            t -> t.b.putStringWithoutLengthAscii(t.a.index, (CharSequence) t.a.text, t.a.small, t.a.length));
        add(calls, "putStringUtf8", t -> t.b.putStringUtf8(t.a.index, t.a.text));
        add(calls, "putStringUtf8 order", t -> t.b.putStringUtf8(t.a.index, t.a.text, t.a.order));
        add(calls, "putStringUtf8 max", t -> t.b.putStringUtf8(t.a.index, t.a.text, t.a.length));
        add(calls, "putStringUtf8 order max", t -> t.b.putStringUtf8(t.a.index, t.a.text, t.a.order, t.a.length));
        add(calls, "putStringWithoutLengthUtf8", t -> t.b.putStringWithoutLengthUtf8(t.a.index, t.a.text));
    }

    private static void addNumbers(List<Call> calls) {
        add(calls, "parseNaturalIntAscii", t -> t.b.parseNaturalIntAscii(t.a.index, t.a.number(t.b)));
        add(calls, "parseNaturalLongAscii", t -> t.b.parseNaturalLongAscii(t.a.index, t.a.number(t.b)));
        add(calls, "parseIntAscii", t -> t.b.parseIntAscii(t.a.index, t.a.number(t.b)));
        add(calls, "parseLongAscii", t -> t.b.parseLongAscii(t.a.index, t.a.number(t.b)));
        add(calls, "parseIntAscii empty", t -> t.b.parseIntAscii(t.a.index, 0));
        add(calls, "putIntAscii", t -> t.b.putIntAscii(t.a.index, (int) t.a.signedValue));
        add(calls, "putNaturalIntAscii", t -> t.b.putNaturalIntAscii(t.a.index, (int) t.a.naturalValue));
        add(calls, "putNaturalPaddedIntAscii", t -> {
            t.b.putNaturalPaddedIntAscii(t.a.index, t.a.small + 1, (int) t.a.naturalValue);
            return null;
        });
        add(calls, "putNaturalIntAsciiFromEnd",
            t -> t.b.putNaturalIntAsciiFromEnd((int) t.a.naturalValue, t.a.index + 12));
        add(calls, "putNaturalLongAscii", t -> t.b.putNaturalLongAscii(t.a.index, t.a.naturalValue));
        add(calls, "putLongAscii", t -> t.b.putLongAscii(t.a.index, t.a.signedValue));
    }

    private static List<Call> atomicCalls() {
        List<Call> calls = new ArrayList<>();
        add(calls, "verifyAlignment", t -> { t.b.verifyAlignment(); return null; });
        add(calls, "getLong", t -> t.b.getLong(t.a.aligned(8)));
        add(calls, "getLongVolatile", t -> t.b.getLongVolatile(t.a.aligned(8)));
        add(calls, "getLongAcquire", t -> t.b.getLongAcquire(t.a.aligned(8)));
        add(calls, "getLongOpaque", t -> t.b.getLongOpaque(t.a.aligned(8)));
        add(calls, "putLongVolatile", t -> { t.b.putLongVolatile(t.a.aligned(8), t.a.value); return null; });
        add(calls, "putLongOrdered", t -> { t.b.putLongOrdered(t.a.aligned(8), t.a.value); return null; });
        add(calls, "putLongRelease", t -> { t.b.putLongRelease(t.a.aligned(8), t.a.value); return null; });
        add(calls, "putLongOpaque", t -> { t.b.putLongOpaque(t.a.aligned(8), t.a.value); return null; });
        add(calls, "addLongOrdered", t -> t.b.addLongOrdered(t.a.aligned(8), t.a.value));
        add(calls, "addLongRelease", t -> t.b.addLongRelease(t.a.aligned(8), t.a.value));
        add(calls, "addLongOpaque", t -> t.b.addLongOpaque(t.a.aligned(8), t.a.value));
        add(calls, "compareAndSetLong", t -> {
            int index = t.a.aligned(8);
            return t.b.compareAndSetLong(index, t.a.flag ? t.b.getLong(index) : t.a.value, t.a.value);
        });
        add(calls, "compareAndExchangeLong", t -> {
            int index = t.a.aligned(8);
            return t.b.compareAndExchangeLong(index, t.a.flag ? t.b.getLong(index) : t.a.value, t.a.value);
        });
        add(calls, "getAndSetLong", t -> t.b.getAndSetLong(t.a.aligned(8), t.a.value));
        add(calls, "getAndAddLong", t -> t.b.getAndAddLong(t.a.aligned(8), t.a.value));
        add(calls, "getIntVolatile", t -> t.b.getIntVolatile(t.a.aligned(4)));
        add(calls, "getIntAcquire", t -> t.b.getIntAcquire(t.a.aligned(4)));
        add(calls, "getIntOpaque", t -> t.b.getIntOpaque(t.a.aligned(4)));
        add(calls, "putIntVolatile", t -> { t.b.putIntVolatile(t.a.aligned(4), (int) t.a.value); return null; });
        add(calls, "putIntOrdered", t -> { t.b.putIntOrdered(t.a.aligned(4), (int) t.a.value); return null; });
        add(calls, "putIntRelease", t -> { t.b.putIntRelease(t.a.aligned(4), (int) t.a.value); return null; });
        add(calls, "putIntOpaque", t -> { t.b.putIntOpaque(t.a.aligned(4), (int) t.a.value); return null; });
        add(calls, "addIntOrdered", t -> t.b.addIntOrdered(t.a.aligned(4), (int) t.a.value));
        add(calls, "addIntRelease", t -> t.b.addIntRelease(t.a.aligned(4), (int) t.a.value));
        add(calls, "addIntOpaque", t -> t.b.addIntOpaque(t.a.aligned(4), (int) t.a.value));
        add(calls, "compareAndSetInt", t -> {
            int index = t.a.aligned(4);
            return t.b.compareAndSetInt(index, t.a.flag ? t.b.getInt(index) : (int) t.a.value, (int) t.a.value);
        });
        add(calls, "compareAndExchangeInt", t -> {
            int index = t.a.aligned(4);
            return t.b.compareAndExchangeInt(index, t.a.flag ? t.b.getInt(index) : (int) t.a.value, (int) t.a.value);
        });
        add(calls, "getAndSetInt", t -> t.b.getAndSetInt(t.a.aligned(4), (int) t.a.value));
        add(calls, "getAndAddInt", t -> t.b.getAndAddInt(t.a.aligned(4), (int) t.a.value));
        add(calls, "getShortVolatile", t -> t.b.getShortVolatile(t.a.aligned(2)));
        add(calls, "putShortVolatile", t -> { t.b.putShortVolatile(t.a.aligned(2), (short) t.a.value); return null; });
        add(calls, "getCharVolatile", t -> t.b.getCharVolatile(t.a.aligned(2)));
        add(calls, "putCharVolatile", t -> { t.b.putCharVolatile(t.a.aligned(2), (char) t.a.value); return null; });
        add(calls, "getByteVolatile", t -> t.b.getByteVolatile(t.a.index));
        add(calls, "putByteVolatile", t -> { t.b.putByteVolatile(t.a.index, (byte) t.a.value); return null; });
        return calls;
    }

    private static String appended(int returned, StringBuilder sink) {
        return returned + ":" + sink;
    }

    private static void add(List<Call> calls, String name, Function<Target, Object> body) {
        calls.add(new Call(name, body));
    }

    private record Call(String name, Function<Target, Object> body) {
    }

    /** The buffer a call runs on, its arguments, and where it appends, under the names the calls read them by. */
    private record Target(AtomicBuffer b, Args a, StringBuilder sink) {
    }

    /**
     * One call's arguments, drawn before the call so both buffers get the same: indices mostly inside the buffer,
     * sometimes past it or negative; values, strings (ASCII, non-ASCII, {@code null}) and ASCII numbers.
     */
    private static final class Args {
        final int index;
        final int length;
        final int small;
        final long value;
        final long signedValue;
        final long naturalValue;
        final boolean flag;
        final ByteOrder order;
        final String text;
        private final int capacity;
        private final boolean direct;
        private final long seed;
        private final String number;

        Args(Random random, int capacity, boolean direct) {
            this.capacity = capacity;
            this.direct = direct;
            int roll = random.nextInt(20);
            index = roll == 0 ? -1 - random.nextInt(4) : roll == 1 ? capacity - random.nextInt(8) : random.nextInt(capacity);
            length = random.nextInt(10) == 0 ? capacity + 1 - random.nextInt(3) : random.nextInt(Math.min(40, capacity));
            small = random.nextInt(4);
            value = random.nextBoolean() ? random.nextLong() : random.nextInt(300) - 150;
            signedValue = random.nextInt(4) == 0 ? (random.nextBoolean() ? Long.MIN_VALUE : Integer.MIN_VALUE) : value;
            naturalValue = Math.abs(value % 1_000_000_000L);
            flag = random.nextBoolean();
            order = random.nextBoolean() ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
            text = switch (random.nextInt(5)) {
                case 0 -> null;
                case 1 -> "";
                case 2 -> "h\u00e9llo \u20ac" + random.nextInt(1000);
                default -> "ascii-" + Long.toString(random.nextLong(), 36);
            };
            seed = random.nextLong();
            number = NUMBERS[random.nextInt(NUMBERS.length)];
        }

        /** An index aligned to {@code size} inside the buffer (the JDK refuses misaligned atomic access). */
        int aligned(int size) {
            return Math.floorMod(index, capacity / size) * size;
        }

        /** Half the time writes {@link #text} with its length at {@link #index} first; returns the index. */
        int ascii(MutableDirectBuffer buffer) {
            if (flag) {
                buffer.putStringAscii(index, text);
            }
            return index;
        }

        /** As {@link #ascii}, in UTF-8. */
        int utf8(MutableDirectBuffer buffer) {
            if (flag) {
                buffer.putStringUtf8(index, text);
            }
            return index;
        }

        /** Writes a candidate number at {@link #index} and returns its length. */
        int number(MutableDirectBuffer buffer) {
            return buffer.putStringWithoutLengthAscii(index, number);
        }

        byte[] bytes(int count) {
            byte[] bytes = new byte[Math.max(0, count)];
            new Random(seed).nextBytes(bytes);
            return bytes;
        }

        /** A ByteBuffer with known bytes whose position and limit are not at its ends. */
        ByteBuffer byteBuffer() {
            byte[] content = bytes(48);
            ByteBuffer buffer = direct ? ByteBuffer.allocateDirect(48) : ByteBuffer.allocate(48);
            buffer.put(content).position(small).limit(48 - 2 * small);
            return buffer;
        }

        /** A buffer of the same kind as {@code like}, over known bytes, heap or direct as {@code direct} says. */
        MutableDirectBuffer other(AtomicBuffer like, boolean directMemory) {
            AtomicBuffer other = like instanceof VarHandleBuffer ? new VarHandleBuffer() : new UnsafeBuffer();
            if (directMemory) {
                other.wrap(ByteBuffer.allocateDirect(capacity));
            } else {
                other.wrap(new byte[capacity]);
            }
            other.putBytes(0, bytes(capacity));
            return other;
        }

        /** Agrona's buffer over known bytes, for both runs: how each buffer copies to and from a foreign one. */
        MutableDirectBuffer agrona(boolean directMemory) {
            UnsafeBuffer other = new UnsafeBuffer(directMemory ? ByteBuffer.allocateDirect(capacity) : ByteBuffer.allocate(capacity));
            other.putBytes(0, bytes(capacity));
            return other;
        }

        String content(MutableDirectBuffer buffer) {
            byte[] bytes = new byte[buffer.capacity()];
            buffer.getBytes(0, bytes);
            return Arrays.toString(bytes);
        }

        String content(ByteBuffer buffer) {
            byte[] bytes = new byte[buffer.capacity()];
            buffer.duplicate().clear().get(bytes);
            return buffer.position() + ":" + Arrays.toString(bytes);
        }

        @Override
        public String toString() {
            return " (index " + index + ", length " + length + ", small " + small + ", value " + value + ", text "
                + text + ", number " + number + ")";
        }
    }

}
