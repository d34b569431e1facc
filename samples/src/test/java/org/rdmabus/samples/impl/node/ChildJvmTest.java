package org.rdmabus.samples.impl.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every node JVM a sample starts gets its JVM options before the main class, the launcher's settings, and no flag for rdmabus. */
@Timeout(10)
class ChildJvmTest {

    @Test
    void aNodeCommandHasItsOptionsBeforeTheMainClassAndNoExportForRdmabus() {
        List<String> command = ChildJvm.ofCurrentJvm().command(ChildJvmTest.class, Map.of(), List.of("--a=b"));
        int main = command.indexOf(ChildJvmTest.class.getName());
        assertTrue(command.indexOf("-XX:+UseSerialGC") > 0 && command.indexOf("-XX:+UseSerialGC") < main, command.toString());
        assertTrue(command.stream().noneMatch(argument -> argument.contains("jdk.internal.misc")),
            "rdmabus needs no export of jdk.internal.misc: " + command);
        assertEquals(List.of(ChildJvmTest.class.getName(), "--a=b"), command.subList(main, command.size()));
        assertEquals(command.get(main - 2), "-cp");
    }

    @Test
    void aNodesOwnPropertyOverridesAForwardedOne() {
        ChildJvm jvm = new ChildJvm("java", "cp", Map.of("rdmabus.enabled", "true", "rdmabus.other", "x"));
        List<String> command = jvm.command(ChildJvmTest.class, Map.of("rdmabus.enabled", "false"), List.of());
        assertTrue(command.contains("-Drdmabus.enabled=false"), command.toString());
        assertTrue(!command.contains("-Drdmabus.enabled=true"), command.toString());
        assertTrue(command.contains("-Drdmabus.other=x"), "forwarded: " + command);
        assertEquals("java", command.get(0));
    }
}
