package org.rdmabus.samples.impl.demo;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(10)
class NodeSpecTest {

    @Test
    void argumentsReadBackToTheSameSpec() {
        NodeSpec spec = new NodeSpec(NodeRole.RESPONDER, "demo-1-tcp", 40_001, List.of(40_000, 40_001), 120);
        assertEquals(spec, NodeSpec.fromArgs(spec.toArgs().toArray(String[]::new)));
    }

    @Test
    void malformedArgumentsNameTheProblem() {
        assertMessage("missing node argument --cluster",
            () -> NodeSpec.fromArgs(new String[] {"--role=requester", "--port=1", "--members=1", "--max-lifetime=5"}));
        assertMessage("--port must be an integer", () -> NodeSpec.fromArgs(new String[] {"--role=requester",
            "--cluster=c", "--port=x", "--members=1", "--max-lifetime=5"}));
        assertMessage("unknown node role 'leader'", () -> NodeSpec.fromArgs(new String[] {"--role=leader",
            "--cluster=c", "--port=1", "--members=1", "--max-lifetime=5"}));
        assertMessage("unknown node arguments: [colour]", () -> NodeSpec.fromArgs(new String[] {"--role=requester",
            "--cluster=c", "--port=1", "--members=1", "--max-lifetime=5", "--colour=red"}));
        assertMessage("expected --name=value", () -> NodeSpec.fromArgs(new String[] {"role"}));
    }

    @Test
    void inconsistentValuesAreRejected() {
        assertMessage("omit the node's own port",
            () -> new NodeSpec(NodeRole.REQUESTER, "c", 5, List.of(6, 7), 10));
        assertMessage("not a TCP port: 70000",
            () -> new NodeSpec(NodeRole.REQUESTER, "c", 70_000, List.of(70_000), 10));
        assertMessage("max lifetime must be at least 1 s",
            () -> new NodeSpec(NodeRole.REQUESTER, "c", 5, List.of(5), 0));
    }

    private static void assertMessage(String expected, org.junit.jupiter.api.function.Executable executable) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, executable);
        assertTrue(e.getMessage().contains(expected), "'" + e.getMessage() + "' says '" + expected + "'");
    }
}
