package org.rdmabus.samples.impl.demo;

import java.util.List;
import java.util.concurrent.TimeUnit;

/** The tests' last line of defence: no JVM the demo started survives a test, even a failed one. */
final class DemoProcesses {

    private DemoProcesses() {
    }

    /** Kills every descendant of this JVM (the demo's nodes, or a spawned demo and its nodes). */
    static void killStrayNodes() {
        List<ProcessHandle> strays = ProcessHandle.current().descendants().toList();
        strays.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle stray : strays) {
            try {
                stray.onExit().get(10, TimeUnit.SECONDS);
            } catch (Exception e) {
                // Reported by the test's own assertions; a kill that did not finish cannot be helped here.
            }
        }
    }
}
