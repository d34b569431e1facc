package org.rdmabus.samples.impl.demo;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import org.rdmabus.samples.impl.node.Units;

/** Prints the comparison as a plain-text table with a speed-up column, and says which path each phase took. */
final class ConsoleTable {

    private ConsoleTable() {
    }

    /**
     * @param comparison the figures.
     * @param out        where to print.
     */
    static void print(Comparison comparison, PrintStream out) {
        List<String[]> cells = new ArrayList<>();
        cells.add(new String[] {"", Transport.TCP.label(), Transport.RDMABUS.label(), "speed-up"});
        for (Comparison.Row row : comparison.rows()) {
            double speedUp = row.speedUp();
            cells.add(new String[] {row.name(), row.format(row.tcp(), Units.MICROS_TEXT),
                row.format(row.rdmabus(), Units.MICROS_TEXT), Double.isNaN(speedUp) ? "-" : Units.ratio(speedUp)});
        }
        int[] widths = new int[4];
        for (String[] line : cells) {
            for (int i = 0; i < widths.length; i++) {
                widths[i] = Math.max(widths[i], line[i].length());
            }
        }
        for (String[] line : cells) {
            StringBuilder text = new StringBuilder(pad(line[0], widths[0], false));
            for (int i = 1; i < widths.length; i++) {
                text.append("   ").append(pad(line[i], widths[i], true));
            }
            out.println(text.toString().stripTrailing());
        }
        out.println("speed-up: how many times better rdmabus did than TCP (above 1: rdmabus wins).");
        out.println("path: " + Transport.TCP.label() + " -> " + describe(comparison.tcp()) + "; "
            + Transport.RDMABUS.label() + " -> " + describe(comparison.rdmabus()));
        if (!comparison.rdmabusColumnOverRdma()) {
            out.println("NOTE: the rdmabus column did NOT run over rdmabus: its nodes report '"
                + comparison.rdmabus().requesterPath().description()
                + "', so both columns measure Vert.x's TCP event bus.");
        }
    }

    private static String describe(PhaseResult phase) {
        String requester = phase.requesterPath().description();
        String responder = phase.responderPath().description();
        return requester.equals(responder) ? requester : "requester " + requester + ", responder " + responder;
    }

    private static String pad(String text, int width, boolean right) {
        String padding = " ".repeat(width - text.length());
        return right ? padding + text : text + padding;
    }
}
