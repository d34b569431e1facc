package org.rdmabus.samples.impl.demo;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The demo's progress lines: one line per step, {@code [phase] what .......... result}, with a dot per tenth
 * done. Plain text, so it reads the same in a terminal, a pipe or a log file.
 */
final class Progress {

    private static final int DOTS = 10;

    private final PrintStream out;
    private boolean lineOpen;
    private int dots;

    /**
     * @param out where to print.
     */
    Progress(PrintStream out) {
        this.out = out;
    }

    /**
     * @param transport the phase.
     * @param what      the step.
     */
    void begin(Transport transport, String what) {
        end("");
        out.printf(Locale.ROOT, "%-10s %-44s ", "[" + transport.key() + "]", what);
        out.flush();
        lineOpen = true;
        dots = 0;
    }

    /**
     * @param done  how many are done.
     * @param total how many in all.
     */
    void advance(long done, long total) {
        int due = total <= 0 ? DOTS : (int) Math.min(DOTS, done * DOTS / total);
        if (lineOpen && due > dots) {
            out.print(".".repeat(due - dots));
            out.flush();
            dots = due;
        }
    }

    /**
     * @param result what the step came to.
     */
    void end(String result) {
        if (lineOpen) {
            out.println(result.isEmpty() ? "" : " " + result);
            out.flush();
            lineOpen = false;
        }
    }

    /**
     * @param text a line of its own.
     */
    void line(String text) {
        end("");
        out.println(text);
        out.flush();
    }
}
