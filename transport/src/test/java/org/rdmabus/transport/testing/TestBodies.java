package org.rdmabus.transport.testing;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.shareddata.ClusterSerializable;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.util.Objects;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/** Message bodies and codecs that the tests send, and their registration on each node. */
public final class TestBodies {

    /** The name of the user codec registered as default codec for {@link Pojo} on every node. */
    public static final String POJO_CODEC = "rdmabus-test-pojo";

    /** Threads on which the {@link Pojo} codec decoded a body from the wire, for the poller-thread test. */
    public static final Queue<Thread> POJO_DECODING_THREADS = new ConcurrentLinkedQueue<>();

    private TestBodies() {
    }

    /**
     * Registers the test codecs and lets the test types through Vert.x's serialisation checks.
     *
     * @param bus a node's event bus
     */
    public static void register(EventBus bus) {
        bus.registerDefaultCodec(Pojo.class, new PojoCodec());
        bus.clusterSerializableChecker(className -> className.startsWith("org.rdmabus."));
        bus.serializableChecker(className -> EventBus.DEFAULT_SERIALIZABLE_CHECKER.apply(className) || className.startsWith("org.rdmabus."));
    }

    /** A user type with its own codec. */
    public static final class Pojo {
        public final String name;
        public final int number;

        /**
         * @param name   a text field
         * @param number a number field
         */
        public Pojo(String name, int number) {
            this.name = name;
            this.number = number;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Pojo && ((Pojo) other).name.equals(name) && ((Pojo) other).number == number;
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, number);
        }

        @Override
        public String toString() {
            return "Pojo(" + name + "," + number + ")";
        }
    }

    /** The codec of {@link Pojo}; records the thread that decodes from the wire. */
    public static final class PojoCodec implements MessageCodec<Pojo, Pojo> {
        @Override
        public void encodeToWire(Buffer buffer, Pojo pojo) {
            byte[] name = pojo.name.getBytes(StandardCharsets.UTF_8);
            buffer.appendInt(name.length).appendBytes(name).appendInt(pojo.number);
        }

        @Override
        public Pojo decodeFromWire(int pos, Buffer buffer) {
            POJO_DECODING_THREADS.add(Thread.currentThread());
            int length = buffer.getInt(pos);
            String name = buffer.getString(pos + 4, pos + 4 + length, "UTF-8");
            return new Pojo(name, buffer.getInt(pos + 4 + length));
        }

        @Override
        public Pojo transform(Pojo pojo) {
            return pojo;
        }

        @Override
        public String name() {
            return POJO_CODEC;
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }

    /** A string codec under a given name, to register on some nodes only. */
    public static final class NamedStringCodec implements MessageCodec<String, String> {
        private final String name;

        /**
         * @param name the codec name
         */
        public NamedStringCodec(String name) {
            this.name = name;
        }

        @Override
        public void encodeToWire(Buffer buffer, String text) {
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            buffer.appendInt(bytes.length).appendBytes(bytes);
        }

        @Override
        public String decodeFromWire(int pos, Buffer buffer) {
            return buffer.getString(pos + 4, pos + 4 + buffer.getInt(pos), "UTF-8");
        }

        @Override
        public String transform(String text) {
            return text;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public byte systemCodecID() {
            return -1;
        }
    }

    /** A type Vert.x carries with its cluster-serializable codec. */
    public static final class Point implements ClusterSerializable {
        private int x;
        private int y;

        /** For Vert.x, which fills the point from the wire. */
        public Point() {
        }

        /**
         * @param x a coordinate
         * @param y a coordinate
         */
        public Point(int x, int y) {
            this.x = x;
            this.y = y;
        }

        @Override
        public void writeToBuffer(Buffer buffer) {
            buffer.appendInt(x).appendInt(y);
        }

        @Override
        public int readFromBuffer(int pos, Buffer buffer) {
            x = buffer.getInt(pos);
            y = buffer.getInt(pos + 4);
            return pos + 8;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Point && ((Point) other).x == x && ((Point) other).y == y;
        }

        @Override
        public int hashCode() {
            return Objects.hash(x, y);
        }

        @Override
        public String toString() {
            return "Point(" + x + "," + y + ")";
        }
    }

    /** A type Vert.x carries with its Java-serialisation codec. */
    public static final class Label implements Serializable {
        private static final long serialVersionUID = 1L;
        private final String text;

        /**
         * @param text the label
         */
        public Label(String text) {
            this.text = text;
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Label && ((Label) other).text.equals(text);
        }

        @Override
        public int hashCode() {
            return text.hashCode();
        }

        @Override
        public String toString() {
            return "Label(" + text + ")";
        }
    }
}
