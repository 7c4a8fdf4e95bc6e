package eagle.ingest;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriBuilder;
import java.util.List;
import java.util.Map;
import org.apache.kafka.streams.errors.InvalidStateStoreException;

/**
 * Class statistics over REST (interactive queries): {@code GET /statistics/classes} lists every
 * class; {@code GET /statistics/classes/{className}} answers 200 (found), 303 (held by another
 * instance) or 404 (no accepted instance of that class); 503 while the stores are not queryable
 * (rebalancing).
 */
@Path("/statistics/classes")
@Produces(MediaType.APPLICATION_JSON)
public class ClassStatisticsResource {

    @Inject ClassStatisticsQueries queries;

    @GET
    public Response all() {
        try {
            List<ClassStatistics> all = queries.all();
            return Response.ok(all).build();
        } catch (InvalidStateStoreException e) {
            return unavailable(e);
        }
    }

    @GET
    @Path("/{className}")
    public Response byClass(@PathParam("className") String className) {
        try {
            StatisticsResult result = queries.byClass(className);
            if (result instanceof StatisticsResult.Found found) {
                return Response.ok(found.statistics()).build();
            }
            if (result instanceof StatisticsResult.FoundElsewhere elsewhere) {
                return Response.seeOther(
                                UriBuilder.fromUri(
                                                "http://"
                                                        + elsewhere.host()
                                                        + ":"
                                                        + elsewhere.port())
                                        .path("statistics/classes")
                                        .path(className)
                                        .build())
                        .build();
            }
            return Response.status(Response.Status.NOT_FOUND)
                    .entity(Map.of("reason", "no accepted instance of class '" + className + "'"))
                    .build();
        } catch (InvalidStateStoreException e) {
            return unavailable(e);
        }
    }

    private static Response unavailable(InvalidStateStoreException e) {
        return Response.status(Response.Status.SERVICE_UNAVAILABLE)
                .entity(Map.of("reason", "statistics store not queryable now: " + e.getMessage()))
                .build();
    }
}
