package org.rdmabus.codec;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import org.rdmabus.buffer.VarHandleBuffer;
import org.rdmabus.codec.impl.Utf8;

/** The codec's strict UTF-8 agrees with the JDK's, so decoded text always encodes back to the same bytes. */
class Utf8Properties {

    @Provide
    Arbitrary<byte[]> textLikeBytes() {
        Arbitrary<byte[]> raw = Arbitraries.bytes().array(byte[].class).ofMaxSize(24);
        Arbitrary<byte[]> encoded = Arbitraries.strings().ofMaxLength(12).map(s -> s.getBytes(StandardCharsets.UTF_8));
        // Lead and continuation bytes near the edges of the valid ranges, where strictness matters.
        Arbitrary<byte[]> edgy = Arbitraries.of((byte) 0x7F, (byte) 0x80, (byte) 0xBF, (byte) 0xC0, (byte) 0xC1,
                (byte) 0xC2, (byte) 0xDF, (byte) 0xE0, (byte) 0x9F, (byte) 0xA0, (byte) 0xED, (byte) 0xEF,
                (byte) 0xF0, (byte) 0x8F, (byte) 0x90, (byte) 0xF4, (byte) 0xF5, (byte) 0xFF, (byte) 'a')
            .array(byte[].class).ofMaxSize(8);
        return Arbitraries.oneOf(raw, encoded, edgy);
    }

    @Property(tries = 3000)
    void wellFormedExactlyWhenTheJdkStrictDecoderAccepts(@ForAll("textLikeBytes") byte[] bytes) {
        boolean jdk;
        try {
            StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT).decode(ByteBuffer.wrap(bytes));
            jdk = true;
        } catch (CharacterCodingException e) {
            jdk = false;
        }
        assertEquals(jdk, Utf8.isWellFormed(new VarHandleBuffer(bytes), 0, bytes.length), Arrays.toString(bytes));
    }

    @Property(tries = 1000)
    void encodingIsTheJdksOrItsLongestCodePointPrefix(@ForAll String text, @ForAll @IntRange(max = 300) int limit) {
        int length = Utf8.encodedLength(text);
        VarHandleBuffer out = new VarHandleBuffer(new byte[Math.max(limit, 1)]);
        int written = Utf8.encodeTruncated(text, out, 0, limit);
        byte[] bytes = Arrays.copyOf(out.byteArray(), written);
        assertTrue(written <= limit);
        assertTrue(Utf8.isWellFormed(out, 0, written));
        String decoded = new String(bytes, StandardCharsets.UTF_8);
        if (length >= 0) {
            byte[] expected = text.getBytes(StandardCharsets.UTF_8);
            assertEquals(expected.length, length);
            if (length <= limit) {
                assertArrayEquals(expected, bytes);
            } else {
                assertTrue(text.startsWith(decoded), "a prefix of the text");
                int next = text.codePointAt(decoded.length());
                assertTrue(written + Character.toString(next).getBytes(StandardCharsets.UTF_8).length > limit,
                    "the next code point would not have fitted");
            }
        }
    }
}
