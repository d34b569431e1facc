package org.rdmabus.bench.eventbus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/** {@link EventBusBench}'s command-line options; see its class comment. */
final class Settings {
    int warmup = 20_000;
    int count = 50_000;
    int seconds = 5;
    int inFlight = 128;
    int first = 8;
    /** The most one mode's sequential round trips (warm-up included) may take; a run cut short says so. */
    int roundTripSeconds = 120;
    /** RdmaChannel request/reply after the rdmabus mode's event-bus figures. */
    boolean channel = true;
    /** The rdmabus provider in both JVMs, or {@code null} for rdmabus's default (system properties still win). */
    String provider;
    List<Mode> modes = List.of(Mode.TCP, Mode.TCP_EPOLL, Mode.RDMABUS, Mode.IN_JVM);

    static Settings parse(String[] args) {
        Settings settings = new Settings();
        if (args.length % 2 != 0) {
            throw new IllegalArgumentException("options come in pairs: --name value");
        }
        for (int i = 0; i + 1 < args.length; i += 2) {
            String value = args[i + 1];
            switch (args[i]) {
                case "--warmup" -> settings.warmup = Integer.parseInt(value);
                case "--count" -> settings.count = Integer.parseInt(value);
                case "--seconds" -> settings.seconds = Integer.parseInt(value);
                case "--in-flight" -> settings.inFlight = Integer.parseInt(value);
                case "--first" -> settings.first = Integer.parseInt(value);
                case "--round-trip-seconds" -> settings.roundTripSeconds = Integer.parseInt(value);
                case "--channel" -> settings.channel = Boolean.parseBoolean(value);
                case "--provider" -> settings.provider = value;
                case "--modes" -> settings.modes = modes(value);
                default -> throw new IllegalArgumentException("unknown option " + args[i]);
            }
        }
        return settings;
    }

    private static List<Mode> modes(String value) {
        List<Mode> modes = new ArrayList<>();
        for (String name : value.split(",")) {
            modes.add(Mode.valueOf(name.trim().toUpperCase(Locale.ROOT)));
        }
        return List.copyOf(modes);
    }
}
