package eagle.console;

import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code GET /console/config}: what the page needs before it calls anything: the model it opens
 * with, which services are configured (the page leaves the others out instead of calling them) and
 * whose moves are promotions.
 */
@Path("/console/config")
public class PageConfigResource {

    @Inject ConsoleConfig config;

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> config() {
        Map<String, Boolean> services = new LinkedHashMap<>();
        for (String s : new String[] {"registry", "ingest", "trainer", "evaluator", "gateway"}) {
            services.put(s, config.service(s).isPresent());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", config.model());
        m.put("services", services);
        m.put("promoters", config.promoters());
        return m;
    }
}
