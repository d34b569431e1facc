package org.rdmabus.pool;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rdmabus.verbs.NicOptions;

/** The hardware self-test, run on the soft fabric, which has both transports. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SelfTestTest {

    @Test
    void passesOnEveryTransportTheDeviceHasAndReportsFigures(@TempDir Path directory) throws Exception {
        Path fabric = Files.createDirectory(directory.resolve("fabric"),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        List<SelfTest.Result> results = SelfTest.run(new NicOptions().provider("soft").directory(fabric), 500);
        assertEquals(2, results.size());
        for (SelfTest.Result result : results) {
            assertEquals(SelfTest.Status.PASSED, result.status(), result.describe());
            assertEquals(500, result.roundTrips());
            assertEquals(200, result.checkedMessages());
            assertTrue(result.firstContactNanos() > 0 && result.newPeerNanos() > 0 && result.roundTripP50Nanos() > 0,
                result.describe());
            assertTrue(result.roundTripP99Nanos() >= result.roundTripP50Nanos(), result.describe());
            assertTrue(result.describe().contains("PASSED"), result.describe());
        }
        assertEquals(List.of(TransportService.DC, TransportService.RC),
            results.stream().map(SelfTest.Result::transport).toList());
    }

    @Test
    void aDeviceThatCannotBeOpenedFailsEveryTransportWithTheReason() {
        List<SelfTest.Result> results = SelfTest.run(new NicOptions().provider("no-such-provider"), 10);
        assertEquals(2, results.size());
        for (SelfTest.Result result : results) {
            assertEquals(SelfTest.Status.FAILED, result.status());
            assertTrue(result.reason().contains("could not be opened"), result.reason());
            assertTrue(result.describe().contains("FAILED"), result.describe());
        }
    }
}
