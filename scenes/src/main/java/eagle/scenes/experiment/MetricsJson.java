package eagle.scenes.experiment;

import com.fasterxml.jackson.databind.node.ObjectNode;
import eagle.scenes.suite.SuiteResult;
import java.time.Instant;

/** The parts of {@code metrics.json} that the experiment and the continual rounds write alike. */
final class MetricsJson {

    private MetricsJson() {}

    /**
     * A suite result's metrics without its {@code suite_id} (the file states it once, at the top).
     */
    static ObjectNode withoutSuiteId(SuiteResult r) {
        ObjectNode node = r.toJsonTree();
        node.remove("suite_id");
        return node;
    }

    /**
     * Adds {@code run}: the command line's arguments, the seconds it took, when it finished, the
     * processors.
     */
    static void putRun(ObjectNode root, String args, double seconds) {
        ObjectNode run = root.putObject("run");
        run.put("arguments", args);
        run.put("seconds", seconds);
        run.put("finished", Instant.now().toString());
        run.put("processors", Runtime.getRuntime().availableProcessors());
    }
}
