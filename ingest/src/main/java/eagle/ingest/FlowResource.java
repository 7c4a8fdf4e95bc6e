package eagle.ingest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

/**
 * What this ingest process has seen since it started (in memory; a restart starts from zero), for
 * the operator console: {@code GET /statistics/flow} (records consumed, validated instances and
 * dead letters, their rates per second over the last {@value IngestMetrics#RATE_SECONDS} s, the
 * emission lag) and {@code GET /statistics/dead-letters} (counts by reason code and the latest
 * {@value IngestMetrics#KEPT_DEAD_LETTERS}, newest first, each with the first {@value
 * IngestMetrics#EXCERPT_BYTES} bytes of the rejected record).
 */
@Path("/statistics")
@Produces(MediaType.APPLICATION_JSON)
public class FlowResource {

    @Inject IngestMetrics metrics;

    @GET
    @Path("/flow")
    public IngestMetrics.Flow flow() {
        return metrics.flow();
    }

    @GET
    @Path("/dead-letters")
    public DeadLetterLog.Snapshot deadLetters() {
        return metrics.deadLetters();
    }
}
