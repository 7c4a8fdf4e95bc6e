package eagle.registry.api;

import eagle.registry.security.Roles;
import eagle.registry.service.VersionService;
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

/** {@code /api/v1/models}: create and list encoder models. */
@Path("/api/v1/models")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class ModelResource {

    @Inject VersionService versions;

    @Inject SecurityIdentity identity;

    @POST
    @RolesAllowed(Roles.REGISTER)
    public RestResponse<ModelView> create(CreateModelRequest req) {
        ModelView m = ModelView.of(versions.createModel(req, Actor.of(identity)));
        return RestResponse.ResponseBuilder.<ModelView>created(
                        URI.create("/api/v1/models/" + m.name()))
                .entity(m)
                .build();
    }

    @GET
    @RolesAllowed(Roles.READ)
    public List<ModelView> list() {
        return versions.models().stream().map(ModelView::of).toList();
    }

    @GET
    @Path("/{model}")
    @RolesAllowed(Roles.READ)
    public ModelView get(@RestPath String model) {
        return ModelView.of(versions.model(model));
    }
}
