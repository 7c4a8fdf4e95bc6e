package eagle.infra;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Sets the Kafka broker's and zonky's loggers to WARNING (and two routine start-up warnings to
 * SEVERE) through java.util.logging, which is where their slf4j output ends up under Quarkus
 * (jboss-logmanager). The shared servers start before Quarkus applies {@code quarkus.log.category},
 * so without this the broker's startup is logged at INFO. {@code -Deagle.infra.verbose=true} leaves
 * the levels alone.
 */
final class QuietLogs {

    private static final String[] CATEGORIES = {
        "org.apache.kafka", "kafka", "state.change.logger", "io.zonky"
    };

    /** Warnings that every start of a fresh single-node cluster logs. */
    private static final String[] ROUTINE_WARNINGS = {
        "org.apache.kafka.controller.QuorumController",
        "org.apache.kafka.server.logger.LoggingController"
    };

    /** java.util.logging keeps loggers weakly: hold them so the levels stay. */
    private static final List<Logger> HELD = new ArrayList<>();

    private QuietLogs() {}

    static synchronized void apply() {
        if (!HELD.isEmpty() || Boolean.getBoolean("eagle.infra.verbose")) {
            return;
        }
        for (String category : CATEGORIES) {
            Logger logger = Logger.getLogger(category);
            logger.setLevel(Level.WARNING);
            HELD.add(logger);
        }
        for (String category : ROUTINE_WARNINGS) {
            Logger logger = Logger.getLogger(category);
            logger.setLevel(Level.SEVERE);
            HELD.add(logger);
        }
    }
}
