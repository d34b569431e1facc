package org.rdmabus.transport.impl.vertx;

import io.vertx.core.MultiMap;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.eventbus.impl.CodecManager;
import io.vertx.core.eventbus.impl.EventBusImpl;
import io.vertx.core.eventbus.impl.clustered.ClusteredMessage;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.rdmabus.transport.testing.TestBodies;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

/**
 * The envelope check accepts every frame Vert.x itself encodes, whatever the codec, headers and reply address, and
 * refuses each frame whose lengths do not fit it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class WireEnvelopeTest {

    private static Vertx vertx;
    private static final CodecManager CODECS = new CodecManager();

    @BeforeAll
    static void start() {
        vertx = Vertx.vertx();
    }

    @AfterAll
    static void stop() {
        vertx.close().await();
    }

    @Test
    void everyFrameVertxEncodesIsAccepted() {
        for (Buffer frame : validFrames()) {
            assertNull(WireEnvelope.check(frame), () -> "refused a valid frame of " + frame.length() + " bytes");
        }
    }

    @Test
    void hostileLengthsAreRefusedWhereverTheyAre() {
        for (Buffer valid : validFrames()) {
            // Each length field of the envelope: far too large, negative, or just past the frame.
            for (int at : lengthFieldPositions(valid)) {
                for (int hostile : new int[] {Integer.MAX_VALUE, -1, Integer.MIN_VALUE, valid.length()}) {
                    Buffer frame = valid.copy().setInt(at, hostile);
                    assertNotNull(WireEnvelope.check(frame), "a length of " + hostile + " at " + at + " was accepted");
                }
            }
        }
    }

    @Test
    void truncatedAndExtendedFramesOfSystemCodecsAreRefused() {
        SplittableRandom random = new SplittableRandom(7);
        for (Buffer valid : validFrames()) {
            if (valid.getByte(5) == -1 || valid.getByte(5) == 16) {
                continue; // a user codec's or cluster-serializable body has no length the envelope can check
            }
            for (int cut = 5; cut < valid.length(); cut++) {
                Buffer truncated = valid.slice(0, cut).copy().setInt(0, cut - 4);
                assertNotNull(WireEnvelope.check(truncated), "a frame cut at " + cut + " of " + valid.length() + " was accepted");
            }
            Buffer extended = valid.copy().appendInt(random.nextInt());
            extended.setInt(0, extended.length() - 4);
            assertNotNull(WireEnvelope.check(extended), "a frame with 4 extra bytes was accepted");
        }
    }

    /** Where the envelope's length fields are: the codec name's (user codecs), the three strings', the headers'. */  private static List<Integer> lengthFieldPositions(Buffer frame) {
        List<Integer> positions = new ArrayList<>();
        int position = 6;
        int codec = frame.getByte(5);
        if (codec == -1) {
            positions.add(position);
            position += 4 + frame.getInt(position);
        }
        position++;
        for (int i = 0; i < 3; i++) {
            positions.add(position);
            position += 4 + frame.getInt(position);
        }
        positions.add(position);
        return positions;
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static List<Buffer> validFrames() {
        EventBusImpl bus = (EventBusImpl) vertx.eventBus();
        Object[] bodies = {null, "text", "", Buffer.buffer("bytes"), new byte[] {1, 2, 3}, new JsonObject().put("a", 1), new JsonArray().add(1),
            42, 42L, 4.2f, 4.2d, true, (short) 4, 'c', (byte) 4, new ReplyException(ReplyFailure.RECIPIENT_FAILURE, 3, "why"),
            new ReplyException(ReplyFailure.TIMEOUT, 3, null), new TestBodies.Point(1, 2)};
        MessageCodec[] codecs = new MessageCodec[bodies.length + 2];
        for (int i = 0; i < bodies.length; i++) {
            codecs[i] = bodies[i] instanceof TestBodies.Point ? CODECS.systemCodecs()[16] : CODECS.lookupCodec(bodies[i], null, false);
        }
        List<Buffer> frames = new ArrayList<>();
        for (int i = 0; i < bodies.length + 2; i++) {
            Object body = i < bodies.length ? bodies[i] : i == bodies.length ? new TestBodies.Label("serial") : new TestBodies.Pojo("user", 1);
            MessageCodec codec = i < bodies.length ? codecs[i] : i == bodies.length ? CODECS.systemCodecs()[17] : new TestBodies.PojoCodec();
            for (boolean headers : new boolean[] {false, true}) {
                for (String replyAddress : new String[] {null, "__vertx.reply.7"}) {
                    MultiMap map = MultiMap.caseInsensitiveMultiMap();
                    if (headers) {
                        map.add("k", "v").add("k", "w").add("empty", "");
                    }
                    ClusteredMessage message = new ClusteredMessage("sender-node", "some.address", map, body, codec, true, bus);
                    message.setReplyAddress(replyAddress);
                    frames.add(message.encodeToWire());
                }
            }
        }
        return frames;
    }
}
