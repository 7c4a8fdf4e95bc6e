package eagle.gateway;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import eagle.client.RegistryClient;
import eagle.client.Sha256;
import eagle.client.Version;
import io.smallrye.mutiny.Multi;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Pattern;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;
import org.jboss.resteasy.reactive.RestStreamElementType;
import org.jboss.resteasy.reactive.server.ServerExceptionMapper;

/**
 * The gateway's API (docs/ARCHITECTURE.md, Serving): production metadata, weights in OpenAI CLIP
 * names and as a Hugging Face folder, and server-sent production moves. Embeddings computed by the
 * production encoder are {@link EmbedResource}.
 */
@Path("/v1/encoders/{name}")
@Tag(name = "encoders")
public class EncoderResource {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");
    private static final String MOVING = "no-cache";
    private static final String IMMUTABLE = "public, max-age=31536000, immutable";

    private final ProductionEncoders encoders;
    private final ObjectMapper json;
    private final DownloadMetrics downloads;

    public EncoderResource(
            ProductionEncoders encoders, ObjectMapper json, DownloadMetrics downloads) {
        this.encoders = encoders;
        this.json = json;
        this.downloads = downloads;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "The version production points at: sha256, size, architecture, evaluation summary, links. "
                            + "ETag over the body; If-None-Match gives 304 while nothing moved.")
    public Response metadata(@PathParam("name") String name, @Context HttpHeaders request)
            throws JsonProcessingException {
        ProductionEncoders.Serving s = encoders.serving(requireName(name));
        LoadedEncoder e = s.current();
        byte[] body = json.writeValueAsBytes(describe(name, s));
        String digest = Sha256.of(body);
        ServedFile tagged =
                new ServedFile(
                        null,
                        digest,
                        body.length,
                        MediaType.APPLICATION_JSON,
                        name,
                        e.version(),
                        e.sha256());
        String ifNoneMatch = request.getHeaderString(HttpHeaders.IF_NONE_MATCH);
        if (ifNoneMatch != null && FileResponses.matches(ifNoneMatch, digest)) {
            return FileResponses.headers(Response.notModified(), tagged, MOVING).build();
        }
        return FileResponses.headers(Response.ok(body, MediaType.APPLICATION_JSON), tagged, MOVING)
                .build();
    }

    @GET
    @Path("weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(
            summary =
                    "Production's safetensors (OpenAI CLIP names), streamed; ETag = sha256, 304, Range/206")
    public Response weights(@PathParam("name") String name, @Context HttpHeaders request) {
        LoadedEncoder e = encoders.current(requireName(name));
        return downloads.counted(
                "weights", FileResponses.serve(encoders.verifiedWeights(e), request, MOVING));
    }

    @GET
    @Path("versions/{version}/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(summary = "A blessed version's safetensors by number; immutable")
    public Response versionWeights(
            @PathParam("name") String name,
            @PathParam("version") int version,
            @Context HttpHeaders request) {
        return downloads.counted(
                "version-weights",
                FileResponses.serve(
                        encoders.blessedWeights(requireName(name), version), request, IMMUTABLE));
    }

    @GET
    @Path("hf/{file}")
    @Operation(
            summary =
                    "Production as a Hugging Face CLIP folder: config.json, model.safetensors, "
                            + "preprocessor_config.json, each with its own digest and ETag")
    public Response hf(
            @PathParam("name") String name,
            @PathParam("file") String file,
            @Context HttpHeaders request) {
        LoadedEncoder e = encoders.current(requireName(name));
        if (e.spec().config().isEva()) {
            throw new GatewayException(
                    404,
                    "NO_HF_LAYOUT",
                    name
                            + " is an "
                            + e.spec().family()
                            + " encoder; "
                            + "transformers has no EVA01-CLIP model, so there is no Hugging Face folder. BLIP-2 and "
                            + "InstructBLIP load its image tower from lavis/"
                            + LoadedEncoder.LAVIS_FILE);
        }
        ServedFile f = e.hfFile(file);
        if (f == null) {
            throw new GatewayException(
                    404,
                    "UNKNOWN_FILE",
                    "the Hugging Face folder has " + LoadedEncoder.HF_FILES + ", not " + file);
        }
        return downloads.counted("hf/" + file, FileResponses.serve(f, request, MOVING));
    }

    @GET
    @Path("lavis/{file}")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(
            summary =
                    "Production's EVA01 image tower in LAVIS's visual_encoder.* names (what BLIP-2 and "
                            + "InstructBLIP load; the last block dropped as LAVIS does); its own digest and ETag. 404 for an "
                            + "OpenAI-CLIP encoder")
    public Response lavis(
            @PathParam("name") String name,
            @PathParam("file") String file,
            @Context HttpHeaders request) {
        LoadedEncoder e = encoders.current(requireName(name));
        if (e.lavisEncoder() == null) {
            throw new GatewayException(
                    404,
                    "NO_LAVIS_LAYOUT",
                    name
                            + " is an "
                            + e.spec().family()
                            + " encoder; "
                            + "the LAVIS visual_encoder layout holds EVA01-CLIP (eva01-clip) image towers only");
        }
        if (!LoadedEncoder.LAVIS_FILE.equals(file)) {
            throw new GatewayException(
                    404,
                    "UNKNOWN_FILE",
                    "the LAVIS layout has " + LoadedEncoder.LAVIS_FILE + ", not " + file);
        }
        return downloads.counted("lavis", FileResponses.serve(e.lavisEncoder(), request, MOVING));
    }

    @GET
    @Path("visual/weights")
    @Produces(MediaType.APPLICATION_OCTET_STREAM)
    @Operation(
            summary =
                    "Production's image tower alone, in its own module's state-dict names (visual. prefix "
                            + "removed): OpenAI VisionTransformer's, or EVA-CLIP EVAVisionTransformer's for an eva01-clip encoder; "
                            + "its own digest and ETag")
    public Response visualWeights(@PathParam("name") String name, @Context HttpHeaders request) {
        return downloads.counted(
                "visual",
                FileResponses.serve(
                        encoders.current(requireName(name)).visualTower(), request, MOVING));
    }

    @GET
    @Path("events")
    @Produces(MediaType.SERVER_SENT_EVENTS)
    @RestStreamElementType(MediaType.APPLICATION_JSON)
    @Operation(
            summary =
                    "Server-sent events: CURRENT on connect, then MOVED each time production moves")
    public Multi<ProductionChange> events(@PathParam("name") String name) {
        return encoders.changes(requireName(name));
    }

    @ServerExceptionMapper
    public Response refusal(GatewayException e) {
        return Response.status(e.status())
                .type(MediaType.APPLICATION_JSON)
                .entity(e.toApiError())
                .build();
    }

    private Map<String, Object> describe(String name, ProductionEncoders.Serving s) {
        LoadedEncoder e = s.current();
        Version v = e.versionInfo();
        String base = "/v1/encoders/" + name;
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("model", name);
        m.put("alias", RegistryClient.PRODUCTION);
        m.put("version", e.version());
        m.put("sha256", e.sha256());
        m.put("sizeBytes", v.sizeBytes());
        m.put("format", v.format());
        m.put("parentVersion", v.parentVersion());
        m.put("architecture", v.architecture());
        m.put("clipConfig", clipConfig(e));
        m.put("createdAt", v.createdAt());
        m.put("evaluation", evaluationSummary(e));
        m.put("previousVersion", s.previous() == null ? null : s.previous().version());
        m.put("servingSince", s.change().at());
        Map<String, Object> links = new LinkedHashMap<>();
        links.put("self", base);
        links.put("weights", base + "/weights");
        links.put("versionWeights", base + "/versions/" + e.version() + "/weights");
        links.put(
                "visualWeights",
                Map.of(
                        "href",
                        base + "/visual/weights",
                        "sha256",
                        e.visualTower().sha256(),
                        "sizeBytes",
                        e.visualTower().sizeBytes()));
        links.put("events", base + "/events");
        links.put("embed", base + "/embed");
        if (e.lavisEncoder() != null) {
            ServedFile f = e.lavisEncoder();
            links.put(
                    "lavis",
                    Map.of(
                            LoadedEncoder.LAVIS_FILE,
                            Map.of(
                                    "href",
                                    base + "/lavis/" + LoadedEncoder.LAVIS_FILE,
                                    "sha256",
                                    f.sha256(),
                                    "sizeBytes",
                                    f.sizeBytes())));
        } else {
            Map<String, Object> hf = new LinkedHashMap<>();
            for (String file : LoadedEncoder.HF_FILES) {
                ServedFile f = e.hfFile(file);
                hf.put(
                        file,
                        Map.of(
                                "href",
                                base + "/hf/" + file,
                                "sha256",
                                f.sha256(),
                                "sizeBytes",
                                f.sizeBytes()));
            }
            links.put("hf", hf);
        }
        m.put("links", links);
        return m;
    }

    private Object clipConfig(LoadedEncoder e) {
        try {
            return json.readTree(e.clipConfig().toJson().getBytes(StandardCharsets.UTF_8));
        } catch (IOException ex) {
            throw new GatewayException(
                    500, "CONFIG", "cannot render the loaded ClipConfig: " + ex.getMessage());
        }
    }

    private static Map<String, Object> evaluationSummary(LoadedEncoder e) {
        var ev = e.evaluation();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", ev.path("id").asText(null));
        m.put("suiteId", ev.path("suiteId").asText(null));
        m.put("passed", ev.path("passed").asBoolean());
        m.put(
                "baselineVersion",
                ev.path("baselineVersion").isNull() ? null : ev.path("baselineVersion").asInt());
        m.put("metrics", ev.path("metrics"));
        m.put("slices", ev.path("slices"));
        m.put("reportUrl", ev.path("reportUrl").asText(null));
        m.put("createdAt", ev.path("createdAt").asText(null));
        return m;
    }

    static String requireName(String name) {
        if (name == null || !NAME.matcher(name).matches() || name.contains("..")) {
            throw new GatewayException(
                    400,
                    "BAD_NAME",
                    "a model name is [a-z0-9][a-z0-9._-]{0,63} without '..', not '" + name + "'");
        }
        return name;
    }
}
