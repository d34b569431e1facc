package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Option validation, key handling and equality (which keys shared pools). */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class PoolOptionsTest {

    @Test
    void settersRefuseValuesOutOfRangeNamingTheOption() {
        PoolOptions options = new PoolOptions();
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> options.pollerCount(0));
        assertTrue(e.getMessage().contains("pollerCount"));
        assertThrows(IllegalArgumentException.class, () -> options.sendChunkSize(300));
        assertThrows(IllegalArgumentException.class, () -> options.demotionIdle(Duration.ZERO));
        assertThrows(IllegalArgumentException.class, () -> options.accessKey(0));
        assertThrows(IllegalArgumentException.class, () -> options.accessKey(" "));
        assertThrows(IllegalArgumentException.class, () -> options.nodeId(""));
    }

    @Test
    void validationChecksTheOptionsTogether() {
        PoolOptions options = new PoolOptions().nodeId("n").receiveBufferSize(1024);
        assertEquals(1024 - 56, options.validate(56));
        options.maxMessageSize(1000);
        IllegalArgumentException tooBig = assertThrows(IllegalArgumentException.class, () -> options.validate(56));
        assertTrue(tooBig.getMessage().contains("at most 968"), tooBig.getMessage());
        options.maxMessageSize(0).initiatorQuota(100).initiatorQueueDepth(50);
        assertThrows(IllegalArgumentException.class, () -> options.validate(56));
        assertThrows(IllegalArgumentException.class, () -> new PoolOptions().validate(56), "nodeId is required");
    }

    @Test
    void theKeyIsNeverPrintedAndTextKeysParse() {
        PoolOptions options = new PoolOptions().nodeId("n").accessKey(0x1234_5678_9ABCL);
        String text = options.toString();
        assertFalse(text.contains(Long.toString(0x1234_5678_9ABCL)), text);
        assertFalse(text.toLowerCase().contains("123456789abc"), text);
        assertTrue(text.contains("****"));
        assertEquals(0x1234_5678_9ABCL, options.resolveAccessKey());
        assertEquals(255, new PoolOptions().accessKey("0xff").resolveAccessKey());
        assertEquals(42, new PoolOptions().accessKey("42").resolveAccessKey());
        long hashed = new PoolOptions().accessKey("a cluster passphrase").resolveAccessKey();
        assertEquals(hashed, new PoolOptions().accessKey("a cluster passphrase").resolveAccessKey());
        assertNotEquals(hashed, new PoolOptions().accessKey("another passphrase").resolveAccessKey());
    }

    @Test
    void equalOptionsAreEqualAndCopiesAreIndependent() {
        PoolOptions a = new PoolOptions().nodeId("n").accessKey(5).pollerCount(2);
        PoolOptions b = new PoolOptions(a);
        assertEquals(a, b);
        assertEquals(a.hashCode(), b.hashCode());
        b.pollerCount(3);
        assertNotEquals(a, b);
        assertNotEquals(a, new PoolOptions(a).accessKey(6));
    }
}
