package org.rdmabus.verbs.soft.impl;

import java.io.IOException;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/**
 * Maps shared-memory files read-write and unmaps them when asked, not when the collector gets round to it (a peer's
 * departed segment must leave {@code /dev/shm} at once), with no JVM flag and no warning on any JDK:
 * <ul>
 *   <li>JDK 22 and later: the file is mapped into a shared {@code java.lang.foreign.Arena}, whose {@code close()}
 *       unmaps it, and a late access fails with an exception instead of a crash. Reached through method handles,
 *       since this module compiles for Java 17;</li>
 *   <li>JDK 17 to 21: a plain mapping, unmapped by {@code sun.misc.Unsafe.invokeCleaner}, which module
 *       {@code jdk.unsupported} opens to everyone and which these JDKs do not warn about (from JDK 24 they do,
 *       hence the arena there).</li>
 * </ul>
 * Where neither is available (a runtime image without {@code jdk.unsupported}) the mapping goes with its buffer.
 */
final class FileMappings {
    private static final int FIRST_FOREIGN_MEMORY_RELEASE = 22;
    private static final Strategy STRATEGY = Runtime.version().feature() >= FIRST_FOREIGN_MEMORY_RELEASE
        ? ArenaStrategy.create() : CleanerStrategy.create();

    private FileMappings() {
    }

    /**
     * Maps the first {@code length} bytes of a file read-write.
     *
     * @param channel the file, open for reading and writing; it may be closed afterwards.
     * @param length  how many bytes.
     * @return the mapping.
     * @throws IOException if the file cannot be mapped.
     */
    static Mapping map(FileChannel channel, long length) throws IOException {
        return STRATEGY.map(channel, length);
    }

    /** One mapped file region. */
    interface Mapping {
        /** @return the mapped bytes, direct; invalid after {@link #unmap()}. */
        ByteBuffer buffer();

        /** Unmaps the region; callers guarantee no thread still touches {@link #buffer()}. Call once. */
        void unmap();
    }

    private interface Strategy {
        Mapping map(FileChannel channel, long length) throws IOException;
    }

    private record ArenaStrategy(MethodHandle ofShared, MethodHandle map, MethodHandle asByteBuffer)
        implements Strategy {

        static Strategy create() {
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                Class<?> arena = Class.forName("java.lang.foreign.Arena");
                Class<?> segment = Class.forName("java.lang.foreign.MemorySegment");
                return new ArenaStrategy(lookup.findStatic(arena, "ofShared", MethodType.methodType(arena)),
                    lookup.findVirtual(FileChannel.class, "map", MethodType.methodType(segment,
                        FileChannel.MapMode.class, long.class, long.class, arena)),
                    lookup.findVirtual(segment, "asByteBuffer", MethodType.methodType(ByteBuffer.class)));
            } catch (ReflectiveOperationException e) {
                return CleanerStrategy.create();
            }
        }

        @Override
        public Mapping map(FileChannel channel, long length) throws IOException {
            AutoCloseable arena = (AutoCloseable) call(ofShared);
            try {
                Object segment = call(map, channel, FileChannel.MapMode.READ_WRITE, 0L, length, arena);
                return new ArenaMapping((ByteBuffer) call(asByteBuffer, segment), arena);
            } catch (IOException | RuntimeException e) {
                ArenaMapping.close(arena);
                throw e;
            }
        }

        private static Object call(MethodHandle handle, Object... arguments) throws IOException {
            try {
                return handle.invokeWithArguments(arguments);
            } catch (IOException | RuntimeException | Error e) {
                throw e;
            } catch (Throwable e) {
                throw new IllegalStateException("calling " + handle + " failed: " + e, e);
            }
        }
    }

    private record ArenaMapping(ByteBuffer buffer, AutoCloseable arena) implements Mapping {
        @Override
        public void unmap() {
            close(arena);
        }

        static void close(AutoCloseable arena) {
            try {
                arena.close();
            } catch (Exception e) {
                throw new IllegalStateException("cannot unmap: " + e, e);
            }
        }
    }

    /** The pre-arena way; {@code cleaner} is {@code null} where {@code jdk.unsupported} is missing. */
    private record CleanerStrategy(MethodHandle cleaner) implements Strategy {

        static Strategy create() {
            try {
                Class<?> unsafeClass = Class.forName("sun.misc.Unsafe");
                Field instance = unsafeClass.getDeclaredField("theUnsafe");
                instance.setAccessible(true);
                return new CleanerStrategy(MethodHandles.lookup().findVirtual(unsafeClass, "invokeCleaner",
                    MethodType.methodType(void.class, ByteBuffer.class)).bindTo(instance.get(null)));
            } catch (ReflectiveOperationException | RuntimeException e) {
                return new CleanerStrategy(null);
            }
        }

        @Override
        public Mapping map(FileChannel channel, long length) throws IOException {
            return new CleanedMapping(channel.map(FileChannel.MapMode.READ_WRITE, 0, length), cleaner);
        }
    }

    private record CleanedMapping(ByteBuffer buffer, MethodHandle cleaner) implements Mapping {
        @Override
        public void unmap() {
            if (cleaner != null) {
                try {
                    cleaner.invokeExact(buffer);
                } catch (Throwable e) {
                    throw new IllegalStateException("cannot unmap: " + e, e);
                }
            }
        }
    }
}
