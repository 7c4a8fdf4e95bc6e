package eagle.registry.api;

import eagle.contracts.ByteRange;
import eagle.registry.security.Roles;
import eagle.registry.service.ArtifactStore;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.annotation.security.RolesAllowed;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.StreamingOutput;
import java.io.InputStream;
import java.util.Arrays;
import org.jboss.resteasy.reactive.RestHeader;
import org.jboss.resteasy.reactive.RestPath;

/**
 * {@code /api/v1/models/{model}/versions/{version}/artifact}: the artifact bytes.
 *
 * <p>PUT streams the body into PostgreSQL while hashing it (see {@link ArtifactStore}); the version
 * turns READY only when the body is whole and its sha256 is the declared one. GET streams it back
 * with {@code ETag: "<sha256>"}, answers {@code If-None-Match} with 304 and a single {@code Range}
 * with 206 (honouring {@code If-Range}); every response names the model, version and digest in
 * headers.
 */
@Path("/api/v1/models/{model}/versions/{version}/artifact")
public class ArtifactResource {

    public static final String H_MODEL = "X-Eagle-Model";
    public static final String H_VERSION = "X-Eagle-Version";
    public static final String H_SHA256 = "X-Eagle-Sha256";

    @Inject ArtifactStore store;

    @Inject SecurityIdentity identity;

    @PUT
    @Consumes(MediaType.APPLICATION_OCTET_STREAM)
    @Produces(MediaType.APPLICATION_JSON)
    @RolesAllowed(Roles.REGISTER)
    public VersionView upload(
            @RestPath String model,
            @RestPath int version,
            @RestHeader(HttpHeaders.CONTENT_LENGTH) Long contentLength,
            InputStream body) {
        return VersionView.of(store.store(model, version, contentLength, body, Actor.of(identity)));
    }

    @GET
    @Produces({MediaType.APPLICATION_OCTET_STREAM, MediaType.APPLICATION_JSON})
    @RolesAllowed(Roles.READ)
    public Response download(
            @RestPath String model,
            @RestPath int version,
            @RestHeader("If-None-Match") String ifNoneMatch,
            @RestHeader("Range") String range,
            @RestHeader("If-Range") String ifRange) {
        ArtifactStore.StoredArtifact a = store.stored(model, version);
        String etag = "\"" + a.sha256() + "\"";
        if (matches(ifNoneMatch, etag)) {
            return named(Response.notModified(), a, etag).build();
        }
        ByteRange.Request wanted =
                ifRange == null || ifRange.trim().equals(etag)
                        ? ByteRange.parse(range, a.sizeBytes())
                        : new ByteRange.Whole();
        if (wanted instanceof ByteRange.Unsatisfiable u) {
            return named(Response.status(416), a, etag)
                    .header("Content-Range", "bytes */" + a.sizeBytes())
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(416, "RANGE_NOT_SATISFIABLE", u.reason()))
                    .build();
        }
        ByteRange r =
                wanted instanceof ByteRange.Part p
                        ? p.range()
                        : new ByteRange(0, a.sizeBytes() - 1);
        StreamingOutput bytes = out -> store.write(a, r.first(), r.last(), out);
        Response.ResponseBuilder b =
                wanted instanceof ByteRange.Part
                        ? Response.status(206)
                                .header("Content-Range", r.contentRange(a.sizeBytes()))
                        : Response.ok();
        return named(b, a, etag)
                .type(MediaType.APPLICATION_OCTET_STREAM_TYPE)
                .header(HttpHeaders.CONTENT_LENGTH, Math.max(0, r.length()))
                .entity(bytes)
                .build();
    }

    private static Response.ResponseBuilder named(
            Response.ResponseBuilder b, ArtifactStore.StoredArtifact a, String etag) {
        return b.header(HttpHeaders.ETAG, etag)
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.CACHE_CONTROL, "private, max-age=31536000, immutable")
                .header(H_MODEL, a.model())
                .header(H_VERSION, a.version())
                .header(H_SHA256, a.sha256());
    }

    /** If-None-Match: "*" or a list of (possibly weak) entity tags. */
    static boolean matches(String ifNoneMatch, String etag) {
        if (ifNoneMatch == null) {
            return false;
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t)
                .anyMatch(t -> t.equals("*") || t.equals(etag));
    }
}
