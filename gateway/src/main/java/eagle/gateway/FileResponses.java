package eagle.gateway;

import eagle.contracts.ByteRange;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.util.Arrays;
import org.jboss.resteasy.reactive.PathPart;

/**
 * Streams an immutable {@link ServedFile} with HTTP caching semantics: strong {@code ETag} = its
 * sha256, {@code If-None-Match} → 304, a single {@code Range} → 206 (with {@code If-Range}), 416
 * when unsatisfiable, and the version headers on every answer (200, 206, 304, 416).
 */
public final class FileResponses {

    public static final String MODEL = "X-Eagle-Model";
    public static final String VERSION = "X-Eagle-Version";
    public static final String SHA256 = "X-Eagle-Sha256";
    public static final String FILE_SHA256 = "X-Eagle-File-Sha256";

    private FileResponses() {}

    /**
     * @param cacheControl e.g. {@code no-cache} for a file behind a moving alias, {@code immutable}
     *     for one addressed by version
     */
    public static Response serve(ServedFile file, HttpHeaders request, String cacheControl) {
        String etag = quote(file.sha256());
        String ifNoneMatch = request.getHeaderString(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && matches(ifNoneMatch, file.sha256())) {
            return headers(Response.notModified(), file, cacheControl).build();
        }
        String range = request.getHeaderString("Range");
        String ifRange = request.getHeaderString("If-Range");
        if (ifRange != null && !ifRange.trim().equals(etag)) {
            range = null; // the client's copy is another version: send it whole
        }
        ByteRange.Request r = ByteRange.parse(range, file.sizeBytes());
        if (r instanceof ByteRange.Unsatisfiable u) {
            return headers(Response.status(416), file, cacheControl)
                    .header("Content-Range", "bytes */" + file.sizeBytes())
                    .type(MediaType.APPLICATION_JSON_TYPE)
                    .entity(new ApiError(416, "RANGE_NOT_SATISFIABLE", u.reason()))
                    .build();
        }
        if (r instanceof ByteRange.Part part) {
            ByteRange b = part.range();
            return headers(Response.status(206), file, cacheControl)
                    .entity(new PathPart(file.path(), b.first(), b.length()))
                    .type(file.mediaType())
                    .header("Content-Range", b.contentRange(file.sizeBytes()))
                    .build();
        }
        return headers(Response.ok(), file, cacheControl)
                .entity(new PathPart(file.path(), 0, file.sizeBytes()))
                .type(file.mediaType())
                .build();
    }

    /** The headers every answer about {@code file} carries. */
    public static Response.ResponseBuilder headers(
            Response.ResponseBuilder b, ServedFile file, String cacheControl) {
        return b.header(HttpHeaders.ETAG, quote(file.sha256()))
                .header("Accept-Ranges", "bytes")
                .header(HttpHeaders.CACHE_CONTROL, cacheControl)
                .header(MODEL, file.model())
                .header(VERSION, file.version())
                .header(SHA256, file.artifactSha256())
                .header(FILE_SHA256, file.sha256());
    }

    /**
     * Whether an {@code If-None-Match} list names {@code sha256} (or is {@code *}); weak tags
     * compare weakly.
     */
    public static boolean matches(String ifNoneMatch, String sha256) {
        if (ifNoneMatch.length() == sha256.length() + 2
                && ifNoneMatch.startsWith("\"")
                && ifNoneMatch.regionMatches(1, sha256, 0, sha256.length())
                && ifNoneMatch.endsWith("\"")) {
            return true; // the common case, one strong tag: no splitting
        }
        return Arrays.stream(ifNoneMatch.split(","))
                .map(String::trim)
                .map(t -> t.startsWith("W/") ? t.substring(2) : t)
                .anyMatch(t -> t.equals("*") || t.equals(quote(sha256)));
    }

    public static String quote(String tag) {
        return "\"" + tag + "\"";
    }
}
