package org.rdmabus.samples.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code rdmabus} command-line tool: one runnable jar with a subcommand per job. */
@Command(name = "rdmabus", mixinStandardHelpOptions = true, version = "rdmabus 0.1.0",
    description = "The clustered Vert.x event bus over RDMA.",
    subcommands = {InfoCommand.class, DemoCommand.class, QuoteServiceCommand.class, FunctionRuntimeCommand.class, TickerCommand.class, BenchCommand.class,
        CommandLine.HelpCommand.class})
public final class RdmabusCommand implements Runnable {

    @CommandLine.Spec
    private CommandLine.Model.CommandSpec spec;

    /**
     * @param args the subcommand and its options.
     */
    public static void main(String[] args) {
        System.exit(new CommandLine(new RdmabusCommand()).execute(args));
    }

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }
}
