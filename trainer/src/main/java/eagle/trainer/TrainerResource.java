package eagle.trainer;

import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Map;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

/**
 * {@code GET /api/v1/status}: device, round, step, losses, samples/s, buffer fill per class,
 * uploads. {@code POST /api/v1/rounds}: start a round now with the new samples there are (202);
 * needs a bearer token with role {@value #OPERATE} (401 without a valid token, 403 with another
 * role).
 */
@Path("/api/v1")
@Tag(name = "trainer")
@Produces(MediaType.APPLICATION_JSON)
public class TrainerResource {

    /** the role that may start rounds */
    public static final String OPERATE = "trainer.operate";

    @Inject TrainerService service;

    @GET
    @Path("/status")
    @Operation(
            summary =
                    "Phase, device, round and step, losses (latest step and per-step curves), samples/s, "
                            + "the next round's trigger, skips, replay buffer fill per class, uploads")
    public Response status() {
        TrainerStatus s = service.status();
        if (s == null) {
            return Response.status(503)
                    .entity(
                            Map.of(
                                    "status",
                                    503,
                                    "code",
                                    "DISABLED",
                                    "reason",
                                    "eagle.trainer.enabled is false"))
                    .build();
        }
        return Response.ok(s).build();
    }

    @POST
    @RolesAllowed(OPERATE)
    @Path("/rounds")
    @Operation(
            summary =
                    "Start a round now with the new samples there are (202); role trainer.operate")
    public Response startRound() {
        if (service.status() == null) {
            return Response.status(503)
                    .entity(
                            Map.of(
                                    "status",
                                    503,
                                    "code",
                                    "DISABLED",
                                    "reason",
                                    "eagle.trainer.enabled is false"))
                    .build();
        }
        service.requestRound();
        return Response.accepted(
                        Map.of(
                                "requested",
                                true,
                                "note",
                                "the round starts at the next poll if there is at least one sample"))
                .build();
    }
}
