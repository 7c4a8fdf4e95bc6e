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

/**
 * {@code /api/v1/models/{model}/versions}: register immutable versions (201 when created, 200 when
 * the same sha256 was registered before) and read them.
 */
@Path("/api/v1/models/{model}/versions")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class VersionResource {

    @Inject VersionService versions;

    @Inject SecurityIdentity identity;

    @POST
    @RolesAllowed(Roles.REGISTER)
    public RestResponse<VersionView> register(@RestPath String model, RegisterVersionRequest req) {
        VersionService.Registration r = versions.register(model, req, Actor.of(identity));
        VersionView v = VersionView.of(r.version());
        URI location = URI.create("/api/v1/models/" + v.model() + "/versions/" + v.version());
        return r.created()
                ? RestResponse.ResponseBuilder.<VersionView>created(location).entity(v).build()
                : RestResponse.ResponseBuilder.<VersionView>ok(v).location(location).build();
    }

    @GET
    @RolesAllowed(Roles.READ)
    public List<VersionView> list(@RestPath String model) {
        return versions.versions(model).stream().map(VersionView::of).toList();
    }

    @GET
    @Path("/{version}")
    @RolesAllowed(Roles.READ)
    public VersionView get(@RestPath String model, @RestPath int version) {
        return VersionView.of(versions.version(model, version));
    }
}
