package org.rdmabus.samples.impl.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** Every node JVM a sample starts gets the transport's flags from the build, and the launcher's settings. */
@Timeout(10)
class ChildJvmTest {

    @Test
    void theBuildFilledInTheRootPomsFlags() {
        List<String> flags = ChildJvm.buildFlags();
        assertEquals(List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"), flags,
            "the root pom's rdmabus.jvm.flags, split into arguments");
    }

    @Test
    void aNodeCommandCarriesTheFlagsBeforeTheMainClass() {
        List<String> command = ChildJvm.ofCurrentJvm().command(ChildJvmTest.class, Map.of(), List.of("--a=b"));
        int export = Collections.indexOfSubList(command,
            List.of("--add-exports", "java.base/jdk.internal.misc=ALL-UNNAMED"));
        int main = command.indexOf(ChildJvmTest.class.getName());
        assertTrue(export > 0 && export < main, "the export is a JVM option: " + command);
        assertEquals(List.of(ChildJvmTest.class.getName(), "--a=b"), command.subList(main, command.size()));
        assertEquals(command.get(main - 2), "-cp");
    }

    @Test
    void aNodesOwnPropertyOverridesAForwardedOne() {
        ChildJvm jvm = new ChildJvm("java", "cp", List.of("--flag"),
            Map.of("rdmabus.enabled", "true", "rdmabus.other", "x"));
        List<String> command = jvm.command(ChildJvmTest.class, Map.of("rdmabus.enabled", "false"), List.of());
        assertTrue(command.contains("-Drdmabus.enabled=false"), command.toString());
        assertTrue(!command.contains("-Drdmabus.enabled=true"), command.toString());
        assertTrue(command.contains("-Drdmabus.other=x"), "forwarded: " + command);
        assertEquals("--flag", command.get(1));
    }
}
