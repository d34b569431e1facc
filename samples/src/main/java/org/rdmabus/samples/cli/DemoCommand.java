package org.rdmabus.samples.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;

/** {@code rdmabus demo}: two nodes on this host, the same workload over TCP and over rdmabus. */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Runs two nodes in separate JVMs and compares the event bus over TCP and over rdmabus.")
final class DemoCommand implements Callable<Integer> {

    @Override
    public Integer call() {
        System.out.println("The demo is not built yet (issue 5). The fabric probe:");
        return new InfoCommand().call();
    }
}
