package eagle.evaluator.api;

import com.fasterxml.jackson.databind.JsonNode;
import eagle.client.RegistryRefusedException;
import eagle.client.RegistryUnavailableException;
import eagle.evaluator.gate.GateConfig;
import eagle.evaluator.gate.GateConfigJson;
import eagle.evaluator.service.EvaluationPipeline;
import eagle.evaluator.service.Outcome;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.file.Files;
import java.util.Map;
import org.jboss.resteasy.reactive.RestPath;

/**
 * The evaluator's operator API: evaluate a version on demand, re-check production (optionally with
 * stricter thresholds), roll production back, and the HTML reports the registry's evaluation
 * records link to. Registry refusals come back with the registry's status, code and reason; an
 * unavailable registry is 503. The three operations need a bearer token with role {@value #OPERATE}
 * (401 without a valid token, 403 with another role); reports are open.
 */
@Path("/")
public class EvaluatorResource {

    /** Body of a rollback: why (required) and optionally which earlier blessed version. */
    public record RollbackBody(String reason, Integer toVersion) {}

    /** the role that may evaluate, re-check and roll back */
    public static final String OPERATE = "evaluator.operate";

    @Inject EvaluationPipeline pipeline;

    @POST
    @RolesAllowed(OPERATE)
    @Path("api/v1/models/{model}/versions/{version}/evaluate")
    @Produces(MediaType.APPLICATION_JSON)
    public Response evaluate(@RestPath String model, @RestPath int version) {
        return run(() -> pipeline.evaluateCandidate(model, version));
    }

    /**
     * Body (optional): a gate config ({@code {"thresholds":[...]}}) that replaces the configured
     * one for this run.
     */
    @POST
    @RolesAllowed(OPERATE)
    @Path("api/v1/models/{model}/recheck")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response recheck(@RestPath String model, JsonNode body) {
        GateConfig override;
        try {
            override =
                    body == null || body.isNull() || body.isEmpty()
                            ? null
                            : GateConfigJson.parse(body);
        } catch (IllegalArgumentException e) {
            return error(400, "INVALID_GATE", e.getMessage());
        }
        return run(() -> pipeline.recheck(model, override));
    }

    @POST
    @RolesAllowed(OPERATE)
    @Path("api/v1/models/{model}/rollback")
    @Consumes(MediaType.APPLICATION_JSON)
    @Produces(MediaType.APPLICATION_JSON)
    public Response rollback(@RestPath String model, RollbackBody body) {
        if (body == null || body.reason() == null || body.reason().isBlank()) {
            return error(400, "MISSING_REASON", "a rollback needs a reason");
        }
        return run(() -> pipeline.operatorRollback(model, body.reason(), body.toVersion()));
    }

    @GET
    @Path("reports/{name}")
    @Produces(MediaType.TEXT_HTML)
    public Response report(@RestPath String name) throws IOException {
        if (!name.matches("[A-Za-z0-9._-]{1,200}\\.html") || name.contains("..")) {
            return Response.status(404).build();
        }
        java.nio.file.Path f = pipeline.reports().reportsDir().resolve(name);
        if (!Files.isRegularFile(f)) {
            return Response.status(404).build();
        }
        return Response.ok(Files.readString(f), MediaType.TEXT_HTML_TYPE.withCharset("UTF-8"))
                .build();
    }

    private static Response run(java.util.function.Supplier<Outcome> op) {
        try {
            return Response.ok(op.get()).build();
        } catch (RegistryRefusedException e) {
            return error(e.status(), e.code(), e.reason());
        } catch (RegistryUnavailableException e) {
            return error(503, "REGISTRY_UNAVAILABLE", e.getMessage());
        }
    }

    private static Response error(int status, String code, String reason) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON)
                .entity(Map.of("status", status, "code", code, "reason", reason))
                .build();
    }
}
