package eagle.registry.api;

import eagle.registry.security.Roles;
import eagle.registry.service.AliasService;
import eagle.registry.service.RegistryException;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.List;
import org.jboss.resteasy.reactive.RestPath;
import org.jboss.resteasy.reactive.RestQuery;

/**
 * {@code /api/v1/models/{model}/aliases}: where aliases point (now or at a time), their history,
 * moves and rollbacks. Every illegal move is a 409 with a reason.
 */
@Path("/api/v1/models/{model}/aliases")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AliasResource {

    @Inject AliasService aliases;

    @Inject SecurityIdentity identity;

    @GET
    @RolesAllowed(Roles.READ)
    public List<AliasView> list(@RestPath String model) {
        return aliases.aliases(model);
    }

    /**
     * Where the alias points now, or with {@code ?at=<ISO-8601 instant>} where it pointed at that
     * time.
     */
    @GET
    @Path("/{alias}")
    @RolesAllowed(Roles.READ)
    public AliasView get(@RestPath String model, @RestPath String alias, @RestQuery String at) {
        return at == null ? aliases.current(model, alias) : aliases.at(model, alias, instant(at));
    }

    @GET
    @Path("/{alias}/history")
    @RolesAllowed(Roles.READ)
    public List<AliasHistoryView> history(@RestPath String model, @RestPath String alias) {
        return aliases.history(model, alias).stream().map(AliasHistoryView::of).toList();
    }

    /**
     * Points the alias at a version. {@code ?ifCurrentVersion=N} (or {@code none} for "must not
     * exist yet") makes the move conditional: it fails with 409 ALIAS_CHANGED when the alias points
     * elsewhere.
     */
    @PUT
    @Path("/{alias}")
    @RolesAllowed(Roles.ALIAS)
    public AliasView move(
            @RestPath String model,
            @RestPath String alias,
            @RestQuery String ifCurrentVersion,
            MoveAliasRequest req) {
        return aliases.move(model, alias, req, expectation(ifCurrentVersion), Actor.of(identity));
    }

    @POST
    @Path("/{alias}/rollback")
    @RolesAllowed(Roles.ALIAS)
    public AliasView rollback(@RestPath String model, @RestPath String alias, RollbackRequest req) {
        return aliases.rollback(model, alias, req, Actor.of(identity));
    }

    static AliasService.Expectation expectation(String ifCurrentVersion) {
        if (ifCurrentVersion == null) {
            return AliasService.Expectation.NONE;
        }
        if (ifCurrentVersion.equals("none")) {
            return AliasService.Expectation.ABSENT;
        }
        try {
            return AliasService.Expectation.at(Integer.parseInt(ifCurrentVersion));
        } catch (NumberFormatException e) {
            throw RegistryException.badRequest(
                    "INVALID_QUERY",
                    "ifCurrentVersion must be a version number or 'none', got '"
                            + ifCurrentVersion
                            + "'");
        }
    }

    static Instant instant(String at) {
        try {
            return OffsetDateTime.parse(at).toInstant();
        } catch (DateTimeParseException e) {
            throw RegistryException.badRequest(
                    "INVALID_QUERY",
                    "at must be an ISO-8601 date-time with offset, e.g. 2026-05-20T12:00:00Z; got '"
                            + at
                            + "'");
        }
    }
}
