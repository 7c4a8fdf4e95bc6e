package eagle.registry.api;

import com.fasterxml.jackson.core.JsonParseException;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.exc.MismatchedInputException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import eagle.registry.service.RegistryException;
import jakarta.persistence.OptimisticLockException;
import jakarta.ws.rs.WebApplicationException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.hibernate.exception.ConstraintViolationException;
import org.jboss.logging.Logger;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * Turns every refusal into a 4xx with an {@link ApiError} body: registry rules, malformed or
 * mistyped JSON, and the database's own constraints when two writers race.
 */
public class ErrorMappers {

    private static final Logger LOG = Logger.getLogger(ErrorMappers.class);

    @ServerExceptionMapper
    public Response registry(RegistryException e) {
        return error(e.status(), e.code(), e.reason());
    }

    @ServerExceptionMapper
    public Response unknownField(UnrecognizedPropertyException e) {
        return error(
                400, "UNKNOWN_FIELD", "unknown field '" + e.getPropertyName() + "'" + where(e));
    }

    @ServerExceptionMapper
    public Response mistyped(MismatchedInputException e) {
        return error(
                400,
                "INVALID_JSON",
                "wrong JSON type" + path(e) + where(e) + ": " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response malformed(JsonParseException e) {
        return error(
                400,
                "MALFORMED_JSON",
                "the body is not valid JSON" + where(e) + ": " + e.getOriginalMessage());
    }

    @ServerExceptionMapper
    public Response json(JsonProcessingException e) {
        return error(
                400,
                "INVALID_JSON",
                "the body could not be read" + where(e) + ": " + e.getOriginalMessage());
    }

    /**
     * Quarkus REST wraps JSON syntax errors in a 400 WebApplicationException; other web exceptions
     * (unknown path, wrong method or media type) keep their status and get a reason.
     */
    @ServerExceptionMapper
    public Response web(WebApplicationException e) {
        if (e.getCause() instanceof JsonParseException p) {
            return malformed(p);
        }
        if (e.getCause() instanceof UnrecognizedPropertyException u) {
            return unknownField(u);
        }
        if (e.getCause() instanceof MismatchedInputException m) {
            return mistyped(m);
        }
        if (e.getCause() instanceof JsonProcessingException j) {
            return json(j);
        }
        int status = e.getResponse().getStatus();
        if (status >= 500) {
            LOG.error("request failed", e);
        }
        Response.StatusType type = e.getResponse().getStatusInfo();
        return error(
                status,
                type.getReasonPhrase().toUpperCase(java.util.Locale.ROOT).replace(' ', '_'),
                e.getMessage() == null ? type.getReasonPhrase() : e.getMessage());
    }

    @ServerExceptionMapper
    public Response constraint(ConstraintViolationException e) {
        LOG.debugf("constraint %s violated: %s", e.getConstraintName(), e.getMessage());
        return error(
                409,
                "CONFLICT",
                "a concurrent change won (constraint "
                        + e.getConstraintName()
                        + "); re-read and retry");
    }

    @ServerExceptionMapper
    public Response optimistic(OptimisticLockException e) {
        return error(409, "CONFLICT", "a concurrent change won; re-read and retry");
    }

    static Response error(int status, String code, String reason) {
        return Response.status(status)
                .type(MediaType.APPLICATION_JSON_TYPE)
                .entity(new ApiError(status, code, reason))
                .build();
    }

    private static String where(JsonProcessingException e) {
        return e.getLocation() == null
                ? ""
                : " at line "
                        + e.getLocation().getLineNr()
                        + ", column "
                        + e.getLocation().getColumnNr();
    }

    private static String path(MismatchedInputException e) {
        String p =
                e.getPath().stream()
                        .map(
                                r ->
                                        r.getFieldName() != null
                                                ? r.getFieldName()
                                                : "[" + r.getIndex() + "]")
                        .reduce((a, b) -> b.startsWith("[") ? a + b : a + "." + b)
                        .orElse("");
        return p.isEmpty() ? "" : " for '" + p + "'";
    }
}
