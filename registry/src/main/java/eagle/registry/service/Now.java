package eagle.registry.service;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * The registry's clock, at PostgreSQL's timestamp precision (microseconds) so stored and returned
 * times agree.
 */
public final class Now {

    private Now() {}

    public static Instant micros() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
