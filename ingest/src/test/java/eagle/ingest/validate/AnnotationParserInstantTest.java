package eagle.ingest.validate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * The parser's fast path for instants accepts and rejects exactly what {@link Instant#parse} does.
 */
class AnnotationParserInstantTest {

    @Test
    void sameAsInstantParse() {
        String[] samples = {
            "2025-03-01T10:00:00Z",
            "2025-03-01T10:00:00.5Z",
            "2025-03-01T10:00:00.123456789Z",
            "2024-02-29T23:59:59Z",
            "2024-12-31T23:59:59.000Z",
            "0000-01-01T00:00:00Z",
            "1969-12-31T23:59:59.9Z",
            "2025-03-01T10:00:00+02:00",
            "2016-12-31T23:59:60Z",
            "2025-03-01T24:00:00Z",
            "+12025-03-01T10:00:00Z",
            "2025-02-29T10:00:00Z",
            "2025-13-01T10:00:00Z",
            "2025-03-01 10:00:00Z",
            "2025-03-01T10:00:00",
            "2025-03-01T10:00:00.Z",
            "2025-03-01T10:00:00.1234567890Z",
            "2025-3-01T10:00:00Z",
            "2025-03-01T10:60:00Z",
            "\uff12\uff10\uff12\uff15-03-01T10:00:00Z",
            "2025-03-01T10:00:00z",
            "2025-04-31T10:00:00Z",
            ""
        };
        int rejected = 0;
        for (String s : samples) {
            Instant expected;
            try {
                expected = Instant.parse(s);
            } catch (DateTimeParseException e) {
                rejected++;
                assertThrows(DateTimeParseException.class, () -> AnnotationParser.instant(s), s);
                continue;
            }
            assertEquals(expected, AnnotationParser.instant(s), s);
        }
        assertTrue(rejected >= 8, "the samples include rejected strings");
        Random random = new Random(1);
        for (int i = 0; i < 100_000; i++) {
            Instant t =
                    Instant.ofEpochSecond(
                            random.nextLong(-62_000_000_000L, 250_000_000_000L),
                            random.nextInt(1_000_000_000));
            String s =
                    random.nextBoolean()
                            ? t.toString()
                            : Instant.ofEpochSecond(t.getEpochSecond()).toString();
            assertEquals(Instant.parse(s), AnnotationParser.instant(s), s);
        }
    }
}
