/**
 * {@code rdmabus bench}: the benchmark scenarios of {@code rdmabus-bench} ({@link org.rdmabus.samples.impl.bench.Scenario}),
 * each in a child JVM of its own, bounded in time, killed with everything it started when it overruns or the user
 * presses Ctrl-C ({@link org.rdmabus.samples.impl.bench.ScenarioRunner}), and a Markdown report of what each printed
 * ({@link org.rdmabus.samples.impl.bench.MarkdownReport}).
 */
package org.rdmabus.samples.impl.bench;
