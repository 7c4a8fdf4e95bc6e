package eagle.client;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.io.InputStream;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The registry's HTTP API ({@code /api/v1}, registry/README.md; docs/ARCHITECTURE.md, Registry) for
 * every service and the demo: plain {@code java.net.http} with an optional bearer token.
 *
 * <p>Every failure is a {@link RegistryException}: {@link RegistryUnavailableException} when the
 * registry cannot be reached, times out or answers 5xx (retry later); {@link
 * RegistryRefusedException} for a 4xx, with the registry's code and reason. Lookups of something
 * that may not exist yet (an alias, its history) answer empty on 404 instead.
 *
 * <p>Thread-safe; one instance per registry is enough.
 */
public final class RegistryClient {

    /** The alias whose target is served (docs/ARCHITECTURE.md, Serving). */
    public static final String PRODUCTION = "production";

    private final RegistryHttp api;
    private final ArtifactTransfer artifacts;

    /**
     * @param url the registry's base URL ({@code http://host:port}); a trailing slash is fine
     * @param token bearer token, or null/blank where the registry needs none
     * @param timeout connect timeout and the limit of each JSON call; artifact transfers get 60
     *     times as long
     */
    public RegistryClient(String url, String token, Duration timeout) {
        this.api = new RegistryHttp(url, token, timeout);
        this.artifacts = new ArtifactTransfer(api);
    }

    /** A client with a 10 s timeout per call. */
    public RegistryClient(String url, String token) {
        this(url, token, Duration.ofSeconds(10));
    }

    // ---------------------------------------------------------------- models

    /** Creates {@code model}; one that exists already is fine. */
    public void createModel(String model, String description) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", model);
        body.put("description", description);
        HttpResponse<String> r =
                api.send(
                        RegistryHttp.json(api.request(""), "POST", body),
                        HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 409) {
            RegistryHttp.requireSuccess(r, r.body());
        }
    }

    /** The names of every model, in the registry's order. */
    public List<String> models() {
        List<String> out = new ArrayList<>();
        for (JsonNode n : api.getJson("")) {
            out.add(n.get("name").asText());
        }
        return out;
    }

    // ---------------------------------------------------------------- versions

    /** One version of {@code model}; refused (404) when it does not exist. */
    public Version version(String model, int version) {
        return RegistryViews.version(model, api.getJson(RegistryHttp.versionPath(model, version)));
    }

    /**
     * Every version of {@code model}, in the registry's order; empty when the model does not exist.
     */
    public List<Version> versions(String model) {
        JsonNode all;
        try {
            all = api.getJson(RegistryHttp.modelPath(model) + "/versions");
        } catch (RegistryRefusedException e) {
            if (e.notFound()) {
                return List.of();
            }
            throw e;
        }
        return RegistryViews.versions(model, all);
    }

    /**
     * Registers {@code artifact} as a new version of {@code model} (its sha256 and size are
     * computed here). Registering the same bytes again answers the existing version.
     *
     * @param parentVersion the version it was trained from, or null for a root
     * @param architecture the version's architecture (the encoder spec): a Map, a JsonNode or any
     *     value Jackson serialises to a JSON object
     * @param trainingRun the run that produced it, or null (imported bases)
     */
    public Registration register(
            String model,
            Integer parentVersion,
            Path artifact,
            Object architecture,
            Object trainingRun)
            throws IOException {
        String sha256 = Sha256.of(artifact);
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("parentVersion", parentVersion);
        body.put("sha256", sha256);
        body.put("sizeBytes", Files.size(artifact));
        body.put("format", "safetensors");
        body.put("architecture", architecture == null ? Map.of() : architecture);
        if (trainingRun != null) {
            body.put("trainingRun", trainingRun);
        }
        JsonNode n =
                RegistryHttp.readJson(
                        api.exchange(
                                RegistryHttp.json(
                                        api.request(RegistryHttp.modelPath(model) + "/versions"),
                                        "POST",
                                        body)));
        return new Registration(
                n.path("version").asInt(),
                n.path("sha256").asText(sha256),
                Version.READY.equals(n.path("status").asText()));
    }

    /**
     * Streams {@code artifact} as the bytes of {@code version}; the registry verifies its size and
     * digest.
     */
    public void upload(String model, int version, Path artifact) throws IOException {
        artifacts.upload(model, version, artifact);
    }

    /** {@link #register} then {@link #upload} unless the registry holds the bytes already. */
    public Registration registerAndUpload(
            String model,
            Integer parentVersion,
            Path artifact,
            Object architecture,
            Object trainingRun)
            throws IOException {
        Registration r = register(model, parentVersion, artifact, architecture, trainingRun);
        if (r.ready()) {
            return r;
        }
        upload(model, r.version(), artifact);
        return new Registration(r.version(), r.sha256(), true);
    }

    /**
     * The artifact's bytes, streamed (the caller closes the stream and verifies the digest, or uses
     * {@link #download}).
     */
    public InputStream openArtifact(String model, int version) {
        return artifacts.open(model, version);
    }

    /**
     * Downloads the artifact of {@code version} to {@code target}, verified against {@code sha256}:
     * the bytes go to a sibling temporary file that is moved into place only when its digest
     * matches. On a mismatch nothing is kept and {@link DigestMismatchException} is thrown.
     */
    public void download(String model, int version, String sha256, Path target) throws IOException {
        artifacts.download(model, version, sha256, target);
    }

    // ---------------------------------------------------------------- aliases

    /**
     * Where {@code alias} of {@code model} points now; empty when the model or the alias does not
     * exist.
     */
    public Optional<AliasTarget> alias(String model, String alias) {
        try {
            return Optional.of(
                    RegistryViews.alias(
                            model, alias, api.getJson(RegistryHttp.aliasPath(model, alias))));
        } catch (RegistryRefusedException e) {
            if (e.notFound()) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** Where {@code production} of {@code model} points now; empty when it does not exist yet. */
    public Optional<AliasTarget> production(String model) {
        return alias(model, PRODUCTION);
    }

    /** The history of {@code alias}, oldest first; empty when the alias does not exist. */
    public List<AliasHistoryEntry> history(String model, String alias) {
        JsonNode all;
        try {
            all = api.getJson(RegistryHttp.aliasPath(model, alias) + "/history");
        } catch (RegistryRefusedException e) {
            if (e.notFound()) {
                return List.of();
            }
            throw e;
        }
        return RegistryViews.history(all);
    }

    /**
     * Moves {@code alias} to {@code version} only if it still points at {@code ifCurrent} (null:
     * only if it does not exist yet), so a move computed against a stale baseline is refused
     * ({@code ALIAS_CHANGED}).
     */
    public AliasTarget moveAlias(
            String model,
            String alias,
            int version,
            Integer ifCurrent,
            String reason,
            String evaluationId) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("version", version);
        body.put("reason", reason);
        body.put("evaluationId", evaluationId);
        String path =
                RegistryHttp.aliasPath(model, alias)
                        + "?ifCurrentVersion="
                        + (ifCurrent == null ? "none" : ifCurrent);
        return RegistryViews.alias(
                model,
                alias,
                RegistryHttp.readJson(
                        api.exchange(RegistryHttp.json(api.request(path), "PUT", body))));
    }

    /**
     * Re-points {@code alias} to the previous blessed entry of its history, or to {@code
     * toVersion}.
     */
    public AliasTarget rollback(String model, String alias, String reason, Integer toVersion) {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("reason", reason);
        if (toVersion != null) {
            body.put("toVersion", toVersion);
        }
        return RegistryViews.alias(
                model,
                alias,
                RegistryHttp.readJson(
                        api.exchange(
                                RegistryHttp.json(
                                        api.request(
                                                RegistryHttp.aliasPath(model, alias) + "/rollback"),
                                        "POST",
                                        body))));
    }

    // ---------------------------------------------------------------- evaluations

    /** Every evaluation recorded for a version, in the registry's order. */
    public List<Evaluation> evaluations(String model, int version) {
        return RegistryViews.evaluations(
                api.getJson(RegistryHttp.versionPath(model, version) + "/evaluations"));
    }

    /**
     * Records an evaluation of {@code version}; {@code body} follows the registry's {@code
     * RecordEvaluationRequest} (a Map or a JsonNode). Returns its id.
     */
    public String recordEvaluation(String model, int version, Object body) {
        return RegistryHttp.readJson(
                        api.exchange(
                                RegistryHttp.json(
                                        api.request(
                                                RegistryHttp.versionPath(model, version)
                                                        + "/evaluations"),
                                        "POST",
                                        body)))
                .path("id")
                .asText();
    }
}
