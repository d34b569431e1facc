package org.rdmabus.samples.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import picocli.CommandLine;

@Timeout(10)
class DurationConverterTest {

    private final DurationConverter converter = new DurationConverter();

    @ParameterizedTest
    @CsvSource({"90s, PT1M30S", "90, PT1M30S", "5m, PT5M", "1h, PT1H", "500ms, PT0.5S", "2H, PT2H", "PT30S, PT30S",
        "' 7s ', PT7S"})
    void readsWhatPeopleWrite(String text, String expected) {
        assertEquals(Duration.parse(expected), converter.convert(text));
    }

    @Test
    void somethingElseIsAUsageError() {
        for (String text : new String[] {"", "soon", "5 m", "-5s", "1d", "99999999999s"}) {
            CommandLine.TypeConversionException e = assertThrows(CommandLine.TypeConversionException.class,
                () -> converter.convert(text), text);
            assertEquals("'" + text + "' is not a duration; write e.g. 90s, 5m, 1h or PT30S", e.getMessage());
        }
    }
}
