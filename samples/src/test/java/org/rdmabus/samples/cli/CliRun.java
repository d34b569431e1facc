package org.rdmabus.samples.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import picocli.CommandLine;

/**
 * One in-process run of the {@code rdmabus} command line, as a user would type it, with what it printed.
 *
 * @param exitCode the command's exit code.
 * @param out      what it printed on standard output.
 * @param err      what it printed on standard error.
 */
record CliRun(int exitCode, String out, String err) {

    /**
     * @param args the command line after {@code rdmabus}.
     * @return the outcome.
     */
    static CliRun execute(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine commandLine = new CommandLine(new RdmabusCommand());
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        int exitCode = commandLine.execute(args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }
}
