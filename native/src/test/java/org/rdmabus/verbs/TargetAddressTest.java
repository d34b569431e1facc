package org.rdmabus.verbs;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class TargetAddressTest {
    private static final long KEY = 0x1234_5678_9abc_def0L;
    private final TargetAddress address =
        new TargetAddress("soft", "segment-42".getBytes(StandardCharsets.UTF_8), 7, KEY);

    @Test
    void binaryAndTextFormsRoundTrip() {
        assertEquals(address, TargetAddress.fromBytes(address.toBytes()));
        assertEquals(address, TargetAddress.fromExternalForm(address.toExternalForm()));
        assertEquals(KEY, TargetAddress.fromExternalForm(address.toExternalForm()).accessKey());
    }

    @Test
    void toStringNeverShowsTheAccessKey() {
        String text = address.toString();
        assertFalse(text.contains(Long.toHexString(KEY)), text);
        assertFalse(text.contains(Long.toString(KEY)), text);
        assertTrue(text.startsWith("soft:"), text);
    }

    @Test
    void theKeyCanBeStrippedForAdvertisingAndPutBack() {
        TargetAddress advertised = address.withAccessKey(0);
        assertEquals(0, advertised.accessKey());
        assertNotEquals(address, advertised);
        assertEquals(address, advertised.withAccessKey(KEY));
    }

    @Test
    void theLocatorIsDefensivelyCopied() {
        byte[] locator = address.locator();
        locator[0] = 'X';
        assertEquals('s', address.locatorByte(0));
    }

    @Test
    void everyTruncationIsRejectedWithAReason() {
        byte[] bytes = address.toBytes();
        for (int length = 0; length < bytes.length; length++) {
            byte[] prefix = Arrays.copyOf(bytes, length);
            IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> TargetAddress.fromBytes(prefix));
            assertFalse(e.getMessage().isBlank());
        }
    }

    @Test
    void trailingBytesAndUnknownVersionsAreRejected() {
        byte[] bytes = address.toBytes();
        byte[] longer = Arrays.copyOf(bytes, bytes.length + 1);
        assertThrows(IllegalArgumentException.class, () -> TargetAddress.fromBytes(longer));
        bytes[0] = 99;
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> TargetAddress.fromBytes(bytes));
        assertTrue(e.getMessage().contains("version"), e.getMessage());
    }

    @Test
    void oversizedFieldsAreRefusedAtConstruction() {
        assertThrows(IllegalArgumentException.class, () -> new TargetAddress("", new byte[0], 1, 0));
        assertThrows(IllegalArgumentException.class, () -> new TargetAddress("soft", new byte[1025], 1, 0));
    }
}
