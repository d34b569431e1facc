package org.rdmabus.samples.impl.demo;

import static java.nio.charset.StandardCharsets.UTF_8;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import org.rdmabus.samples.impl.node.Units;

/** Writes the demo's self-contained HTML report: the table, the percentile chart, and how the figures came about. */
final class HtmlReport {

    private static final DateTimeFormatter FILE_TIME = DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT);
    private static final String TCP_COLOR = "#d9534f";
    private static final String RDMABUS_COLOR = "#1f6fb2";
    private static final int MAX_NAME_ATTEMPTS = 100;

    private HtmlReport() {
    }

    /**
     * @param directory  where to write; created if missing.
     * @param comparison the figures.
     * @param settings   what ran.
     * @param when       when it ran.
     * @return the report's file, a new one per run.
     * @throws IOException if it cannot be written.
     */
    static Path write(Path directory, Comparison comparison, DemoSettings settings, ZonedDateTime when)
        throws IOException {
        Files.createDirectories(directory);
        String html = render(comparison, settings, when);
        String stem = "rdmabus-demo-" + FILE_TIME.format(when);
        for (int attempt = 1; attempt <= MAX_NAME_ATTEMPTS; attempt++) {
            Path file = directory.resolve(stem + (attempt == 1 ? "" : "-" + attempt) + ".html");
            try {
                return Files.writeString(file, html, UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
            } catch (FileAlreadyExistsException e) {
                // Another run wrote a report in the same second: take the next name.
            }
        }
        throw new IOException("no free report name for " + stem + " in " + directory);
    }

    /**
     * @param comparison the figures.
     * @param settings   what ran.
     * @param when       when it ran.
     * @return the HTML document.
     */
    static String render(Comparison comparison, DemoSettings settings, ZonedDateTime when) {
        StringBuilder html = new StringBuilder();
        html.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
            .append("<title>rdmabus demo: TCP and rdmabus</title>\n<style>\n")
            .append("body{font-family:sans-serif;max-width:880px;margin:2em auto;color:#222;line-height:1.45}\n")
            .append("table{border-collapse:collapse;margin:1em 0}th,td{padding:4px 12px;border-bottom:1px solid #ddd}\n")
            .append("td.num{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}th{text-align:right}th:first-child{text-align:left}\n")
            .append(".note{background:#fff4e5;border-left:4px solid #f0ad4e;padding:8px 12px}\n")
            .append("</style>\n</head>\n<body>\n");
        html.append("<h1>rdmabus demo: the clustered event bus over TCP and over rdmabus</h1>\n");
        html.append("<p>").append(Html.escape(DateTimeFormatter.RFC_1123_DATE_TIME.format(when))).append(" &middot; ")
            .append(Runtime.getRuntime().availableProcessors()).append(" cores &middot; ")
            .append(Html.escape(System.getProperty("os.name") + " " + System.getProperty("os.arch")))
            .append(" &middot; Java ").append(Html.escape(System.getProperty("java.version"))).append("</p>\n");
        if (!comparison.rdmabusColumnOverRdma()) {
            html.append("<p class=\"note\"><strong>The rdmabus column did not run over rdmabus.</strong> Its nodes "
                + "report the path &ldquo;").append(Html.escape(comparison.rdmabus().requesterPath().description()))
                .append("&rdquo;, so both columns measure Vert.x&rsquo;s TCP event bus.</p>\n");
        }
        table(html, comparison);
        html.append(PercentileChart.svg("Request/reply round trip by percentile (" + settings.payload() + "-byte bodies)",
            List.of(new PercentileChart.Series(Transport.TCP.key(), Transport.TCP.label() + " (" +
                    comparison.tcp().requesterPath().description() + ")", TCP_COLOR, comparison.tcp().latency()),
                new PercentileChart.Series(Transport.RDMABUS.key(), Transport.RDMABUS.label() + " (" +
                    comparison.rdmabus().requesterPath().description() + ")", RDMABUS_COLOR,
                    comparison.rdmabus().latency()))));
        method(html, settings);
        phases(html, comparison);
        html.append("</body>\n</html>\n");
        return html.toString();
    }

    private static void table(StringBuilder html, Comparison comparison) {
        html.append("<table>\n<tr><th></th><th>").append(Transport.TCP.label()).append("</th><th>")
            .append(Transport.RDMABUS.label()).append("</th><th>speed-up</th></tr>\n");
        for (Comparison.Row row : comparison.rows()) {
            double speedUp = row.speedUp();
            html.append("<tr><td>").append(Html.escape(row.name())).append("</td><td class=\"num\">")
                .append(Html.escape(row.format(row.tcp(), Units.MICROS_HTML))).append("</td><td class=\"num\">")
                .append(Html.escape(row.format(row.rdmabus(), Units.MICROS_HTML))).append("</td><td class=\"num\">")
                .append(Double.isNaN(speedUp) ? "&ndash;" : Html.escape(Units.ratio(speedUp))).append("</td></tr>\n");
        }
        html.append("</table>\n<p>Speed-up: how many times better rdmabus did than TCP (above 1: rdmabus wins).</p>\n");
    }

    private static void method(StringBuilder html, DemoSettings settings) {
        html.append("<h2>What ran</h2>\n<p>Each column is its own pair of node JVMs on this host, clustered with "
            + "Hazelcast on 127.0.0.1: one requester, one responder that echoes the request body. The TCP pair runs "
            + "with <code>-Drdmabus.enabled=false</code>, the rdmabus pair with <code>true</code>. The requester "
            + "sends from one event-loop context:</p>\n<ul>\n");
        html.append(String.format(Locale.ROOT, "<li>%,d warm-up round trips, not measured;</li>%n", settings.warmup()));
        html.append(String.format(Locale.ROOT, "<li>%,d measured round trips, one at a time, %d-byte bodies each "
            + "way (the table&rsquo;s percentiles and the chart, from an HdrHistogram);</li>%n",
            settings.requests(), settings.payload()));
        html.append(String.format(Locale.ROOT, "<li>%,d requests with %d in flight (requests/s);</li>%n",
            settings.requests(), settings.inflight()));
        html.append("<li>the first request to a new node: the responder JVM, already warm, starts another clustered "
            + "node with a consumer on a fresh address; once the requester sees that consumer in the cluster "
            + "membership, it times its first request to the node, which it never contacted before. Over TCP that "
            + "includes opening the event-bus connection; the code on both sides is already compiled, so the figure "
            + "is the contact, not class loading or JIT. The second request to the same node is shown below for "
            + "comparison.</li>\n</ul>\n");
    }

    private static void phases(StringBuilder html, Comparison comparison) {
        html.append("<h2>Per phase</h2>\n<table>\n<tr><th></th><th>").append(Transport.TCP.label())
            .append("</th><th>").append(Transport.RDMABUS.label()).append("</th></tr>\n");
        PhaseResult tcp = comparison.tcp();
        PhaseResult rdmabus = comparison.rdmabus();
        phaseRow(html, "path (requester)", tcp.requesterPath().description(), rdmabus.requesterPath().description());
        phaseRow(html, "path (responder)", tcp.responderPath().description(), rdmabus.responderPath().description());
        phaseRow(html, "nodes started and joined in", Units.duration(tcp.startMillis() * 1e6, Units.MICROS_HTML),
            Units.duration(rdmabus.startMillis() * 1e6, Units.MICROS_HTML));
        phaseRow(html, "measured round trips", counts(tcp.latencyLoad()), counts(rdmabus.latencyLoad()));
        phaseRow(html, "throughput requests", counts(tcp.throughput()), counts(rdmabus.throughput()));
        phaseRow(html, "round trip min / max", minMax(tcp), minMax(rdmabus));
        for (int i = 0; i < Math.max(tcp.firstContacts().size(), rdmabus.firstContacts().size()); i++) {
            phaseRow(html, "new node " + (i + 1) + ": first request, then second", contact(tcp, i),
                contact(rdmabus, i));
        }
        html.append("</table>\n");
    }

    private static void phaseRow(StringBuilder html, String name, String tcp, String rdmabus) {
        html.append("<tr><td>").append(Html.escape(name)).append("</td><td class=\"num\">").append(Html.escape(tcp))
            .append("</td><td class=\"num\">").append(Html.escape(rdmabus)).append("</td></tr>\n");
    }

    private static String counts(LoadOutcome outcome) {
        return String.format(Locale.ROOT, "%,d answered, %,d failed%s in %.2f s", outcome.completed(),
            outcome.failed(), outcome.timedOut() ? ", stopped by the time limit" : "", outcome.elapsedNanos() / 1e9);
    }

    private static String minMax(PhaseResult phase) {
        return Units.duration(phase.latency().getMinValue(), Units.MICROS_HTML) + " / "
            + Units.duration(phase.latency().getMaxValue(), Units.MICROS_HTML);
    }

    private static String contact(PhaseResult phase, int index) {
        if (index >= phase.firstContacts().size()) {
            return "-";
        }
        PhaseResult.FirstContact contact = phase.firstContacts().get(index);
        return Units.duration(contact.firstNanos(), Units.MICROS_HTML) + ", then "
            + Units.duration(contact.secondNanos(), Units.MICROS_HTML);
    }
}
