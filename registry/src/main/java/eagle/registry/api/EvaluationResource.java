package eagle.registry.api;

import eagle.registry.security.Roles;
import eagle.registry.service.EvaluationService;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.net.URI;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestResponse;

/**
 * {@code /api/v1/models/{model}/versions/{version}/evaluations}: record (evaluator role) and read
 * evaluations.
 */
@Path("/api/v1/models/{model}/versions/{version}/evaluations")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class EvaluationResource {

    @Inject EvaluationService evaluations;

    @Inject SecurityIdentity identity;

    @POST
    @RolesAllowed(Roles.EVALUATE)
    public RestResponse<EvaluationView> record(
            @RestPath String model, @RestPath int version, RecordEvaluationRequest req) {
        EvaluationView e =
                EvaluationView.of(evaluations.record(model, version, req, Actor.of(identity)));
        return RestResponse.ResponseBuilder.<EvaluationView>created(
                        URI.create(
                                "/api/v1/models/"
                                        + e.model()
                                        + "/versions/"
                                        + e.version()
                                        + "/evaluations/"
                                        + e.id()))
                .entity(e)
                .build();
    }

    @GET
    @RolesAllowed(Roles.READ)
    public List<EvaluationView> list(@RestPath String model, @RestPath int version) {
        return evaluations.of(model, version).stream().map(EvaluationView::of).toList();
    }

    @GET
    @Path("/{id}")
    @RolesAllowed(Roles.READ)
    public EvaluationView get(@RestPath String model, @RestPath int version, @RestPath String id) {
        return EvaluationView.of(evaluations.get(model, version, id));
    }
}
