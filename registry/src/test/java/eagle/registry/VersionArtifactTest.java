package eagle.registry;

import static org.awaitility.Awaitility.await;
import static org.hamcrest.Matchers.containsString;
import static org.hamcrest.Matchers.equalTo;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.infra.KafkaTestResource;
import eagle.infra.PostgresTestResource;
import eagle.registry.security.DevTokens;
import eagle.registry.security.Roles;
import io.agroal.api.AgroalDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.inject.Inject;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.util.Arrays;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.junit.jupiter.api.Test;

/**
 * Versions and artifacts: register, stream in, verify, stream out (ETag, 304, Range); broken
 * uploads leave nothing.
 */
@QuarkusTest
@WithTestResource(
        value = PostgresTestResource.class,
        initArgs = @ResourceArg(name = "database", value = "registry"))
@WithTestResource(KafkaTestResource.class)
class VersionArtifactTest {

    @Inject AgroalDataSource dataSource;

    @Inject MeterRegistry meters;

    @ConfigProperty(name = "quarkus.http.test-port")
    int port;

    @Test
    void registerUploadDownload() {
        String model = Api.createModel("va");
        byte[] artifact = Api.bytes(2_500_000, 1); // three 1 MiB chunks, the last one partial
        Api.register(model, artifact, null)
                .then()
                .statusCode(201)
                .header("Location", containsString("/api/v1/models/" + model + "/versions/1"))
                .body("version", equalTo(1))
                .body("status", equalTo("PENDING_ARTIFACT"))
                .body("sha256", equalTo(Api.sha256(artifact)))
                .body("trainingRun.dataManifest[0].untilOffset", equalTo(128));
        Api.as(Roles.READ)
                .get("/api/v1/models/" + model + "/versions/1/artifact")
                .then()
                .statusCode(409)
                .body("code", equalTo("ARTIFACT_NOT_READY"));

        Api.upload(model, 1, artifact).then().statusCode(200).body("status", equalTo("READY"));
        assertEquals(3, chunks(model, 1));

        Response r = Api.as(Roles.READ).get("/api/v1/models/" + model + "/versions/1/artifact");
        r.then()
                .statusCode(200)
                .header("ETag", "\"" + Api.sha256(artifact) + "\"")
                .header("X-Eagle-Version", "1")
                .header("X-Eagle-Sha256", Api.sha256(artifact))
                .header("Content-Length", String.valueOf(artifact.length));
        assertArrayEquals(artifact, r.asByteArray());

        // a child version records its parent; a second upload of a READY version is refused
        byte[] child = Api.bytes(1000, 2);
        int v2 = Api.readyVersion(model, child, 1);
        Api.as(Roles.READ)
                .get("/api/v1/models/" + model + "/versions/" + v2)
                .then()
                .statusCode(200)
                .body("parentVersion", equalTo(1))
                .body("status", equalTo("READY"));
        Api.upload(model, 1, artifact)
                .then()
                .statusCode(409)
                .body("code", equalTo("ARTIFACT_ALREADY_STORED"));
        Api.as(Roles.READ)
                .get("/api/v1/models/" + model + "/versions")
                .then()
                .statusCode(200)
                .body("version", equalTo(java.util.List.of(1, 2)));
    }

    @Test
    void aChildKeepsItsParentsFamilyConfigAndTokenizer() {
        String model = Api.createModel("arch");
        Api.readyVersion(model, Api.bytes(100, 20), null);
        String versions = "/api/v1/models/" + model + "/versions";

        // another image tower width: refused, naming the first differing path, this version's value
        // first
        var wider = Api.versionBody(Api.bytes(100, 21), 1);
        wider.put("architecture", Api.architecture(128, "words"));
        Api.json(Roles.REGISTER)
                .body(wider)
                .post(versions)
                .then()
                .statusCode(409)
                .body("code", equalTo("ARCHITECTURE_MISMATCH"))
                .body("reason", containsString("parent version 1"))
                .body("reason", containsString("architecture.config.vision.width: 128 != 64"));
        // another tokenizer
        var bpe = Api.versionBody(Api.bytes(100, 22), 1);
        bpe.put("architecture", Api.architecture(64, "clip-bpe"));
        Api.json(Roles.REGISTER)
                .body(bpe)
                .post(versions)
                .then()
                .statusCode(409)
                .body("code", equalTo("ARCHITECTURE_MISMATCH"))
                .body(
                        "reason",
                        containsString("architecture.tokenizer.kind: \"clip-bpe\" != \"words\""));
        // another family, and a member missing
        var family = Api.versionBody(Api.bytes(100, 23), 1);
        var other = new java.util.LinkedHashMap<>(Api.architecture(64, "words"));
        other.put("family", "siglip");
        family.put("architecture", other);
        Api.json(Roles.REGISTER)
                .body(family)
                .post(versions)
                .then()
                .statusCode(409)
                .body(
                        "reason",
                        containsString("architecture.family: \"siglip\" != \"openai-clip\""));
        var missing = Api.versionBody(Api.bytes(100, 24), 1);
        var noTokenizer = new java.util.LinkedHashMap<>(Api.architecture(64, "words"));
        noTokenizer.remove("tokenizer");
        missing.put("architecture", noTokenizer);
        Api.json(Roles.REGISTER)
                .body(missing)
                .post(versions)
                .then()
                .statusCode(409)
                .body("reason", containsString("architecture.tokenizer: absent != {…}"));
        // nothing of the refused ones was stored
        Api.as(Roles.READ)
                .get(versions)
                .then()
                .statusCode(200)
                .body("version", equalTo(java.util.List.of(1)));

        // the same spec with another preset name, other prompt templates and the same numbers
        // written
        // differently (1e-5 as 0.00001, 64 as 64.0) is the same architecture: accepted as version 2
        var same = new java.util.LinkedHashMap<>(Api.architecture(64, "words"));
        same.put("preset", null);
        same.put("promptTemplates", java.util.List.of("This is an image of a {c}"));
        var body = Api.versionBody(Api.bytes(100, 25), 1);
        body.put("architecture", same);
        String json;
        try {
            json =
                    new com.fasterxml.jackson.databind.ObjectMapper()
                            .writeValueAsString(body)
                            .replace("1.0E-5", "0.00001")
                            .replace("\"width\":64", "\"width\":64.0");
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        assertTrue(
                json.contains("0.00001")
                        && json.contains("64.0")
                        && json.contains("This is an image"),
                json);
        Api.json(Roles.REGISTER)
                .body(json)
                .post(versions)
                .then()
                .statusCode(201)
                .body("version", equalTo(2))
                .body("parentVersion", equalTo(1));
        // a root version may have any architecture
        var root = Api.versionBody(Api.bytes(100, 26), null);
        root.put("architecture", Api.architecture(128, "clip-bpe"));
        Api.json(Roles.REGISTER)
                .body(root)
                .post(versions)
                .then()
                .statusCode(201)
                .body("version", equalTo(3));
    }

    @Test
    void sameDigestTwiceIsIdempotent() {
        String model = Api.createModel("idem");
        byte[] artifact = Api.bytes(5000, 3);
        Api.register(model, artifact, null).then().statusCode(201).body("version", equalTo(1));
        Api.register(model, artifact, null).then().statusCode(200).body("version", equalTo(1));
        Api.upload(model, 1, artifact).then().statusCode(200);
        Api.register(model, artifact, null)
                .then()
                .statusCode(200)
                .body("version", equalTo(1))
                .body("status", equalTo("READY"));
        Api.as(Roles.READ)
                .get("/api/v1/models/" + model + "/versions")
                .then()
                .body("size()", equalTo(1));

        // the same digest with a contradicting size is a conflict, not a second version
        var body = Api.versionBody(artifact, null);
        body.put("sizeBytes", 4999);
        Api.json(Roles.REGISTER)
                .body(body)
                .post("/api/v1/models/" + model + "/versions")
                .then()
                .statusCode(409)
                .body("code", equalTo("DIGEST_REGISTERED_DIFFERENTLY"));
    }

    @Test
    void conditionalAndRangeRequests() {
        String model = Api.createModel("range");
        byte[] artifact = Api.bytes(ArtifactChunk.SIZE * 2 + 10, 4);
        Api.readyVersion(model, artifact, null);
        String path = "/api/v1/models/" + model + "/versions/1/artifact";
        String etag = "\"" + Api.sha256(artifact) + "\"";

        Api.as(Roles.READ)
                .header("If-None-Match", etag)
                .get(path)
                .then()
                .statusCode(304)
                .header("ETag", etag);
        Api.as(Roles.READ).header("If-None-Match", "\"other\"").get(path).then().statusCode(200);

        // a range across the first chunk boundary
        int first = ArtifactChunk.SIZE - 5;
        int last = ArtifactChunk.SIZE + 4;
        Response r = Api.as(Roles.READ).header("Range", "bytes=" + first + "-" + last).get(path);
        r.then()
                .statusCode(206)
                .header("Content-Range", "bytes " + first + "-" + last + "/" + artifact.length)
                .header("Content-Length", "10");
        assertArrayEquals(Arrays.copyOfRange(artifact, first, last + 1), r.asByteArray());

        // suffix range: the last 7 bytes
        Response tail = Api.as(Roles.READ).header("Range", "bytes=-7").get(path);
        tail.then().statusCode(206);
        assertArrayEquals(
                Arrays.copyOfRange(artifact, artifact.length - 7, artifact.length),
                tail.asByteArray());

        // If-Range with a stale validator: the whole artifact
        Api.as(Roles.READ)
                .header("Range", "bytes=0-9")
                .header("If-Range", "\"stale\"")
                .get(path)
                .then()
                .statusCode(200)
                .header("Content-Length", String.valueOf(artifact.length));

        Api.as(Roles.READ)
                .header("Range", "bytes=" + artifact.length + "-")
                .get(path)
                .then()
                .statusCode(416)
                .header("Content-Range", "bytes */" + artifact.length);
    }

    @Test
    void digestOrSizeMismatchLeavesVersionUnusable() {
        String model = Api.createModel("mismatch");
        byte[] artifact = Api.bytes(1_200_000, 5);
        Api.register(model, artifact, null).then().statusCode(201);

        byte[] tampered = artifact.clone();
        tampered[1_100_000] ^= 1; // same size, one bit differs, in the second chunk
        Api.upload(model, 1, tampered)
                .then()
                .statusCode(422)
                .body("code", equalTo("DIGEST_MISMATCH"))
                .body("reason", containsString(Api.sha256(tampered)));
        assertUnusable(model, 1);

        Api.upload(model, 1, Arrays.copyOf(artifact, artifact.length - 1))
                .then()
                .statusCode(422)
                .body("code", equalTo("SIZE_MISMATCH"));
        assertUnusable(model, 1);

        // the right bytes still go through afterwards
        Api.upload(model, 1, artifact).then().statusCode(200).body("status", equalTo("READY"));
    }

    @Test
    void uploadCutOffHalfwayLeavesNothing() throws Exception {
        String model = Api.createModel("cut");
        byte[] artifact = Api.bytes(3_000_000, 6);
        Api.register(model, artifact, null).then().statusCode(201);
        double failedBefore = failedUploads();

        // more than one chunk reaches the database, then the connection closes with half the body
        // sent
        rawPut(
                "/api/v1/models/" + model + "/versions/1/artifact",
                artifact.length,
                Arrays.copyOf(artifact, 1_500_000),
                false);

        await().atMost(Duration.ofSeconds(30)).until(() -> failedUploads() > failedBefore);
        assertUnusable(model, 1);
        Api.upload(model, 1, artifact).then().statusCode(200).body("status", equalTo("READY"));
        assertEquals(3, chunks(model, 1));
    }

    @Test
    void oversizedUploadIsRefusedBeforeReading() throws Exception {
        String model = Api.createModel("big");
        var body = Api.versionBody(new byte[] {1}, null);
        body.put("sizeBytes", 1L << 40);
        Api.json(Roles.REGISTER)
                .body(body)
                .post("/api/v1/models/" + model + "/versions")
                .then()
                .statusCode(413)
                .body("code", equalTo("ARTIFACT_TOO_LARGE"))
                // the limit is %test.eagle.registry.artifact.max-bytes (64 MiB), not the 8 GiB
                // default
                .body("reason", containsString("limit of 67108864"));

        Api.register(model, new byte[] {1}, null).then().statusCode(201);
        String status =
                rawPut(
                        "/api/v1/models/" + model + "/versions/1/artifact",
                        1L << 40,
                        new byte[] {1},
                        true);
        assertEquals("HTTP/1.1 413", status.substring(0, 12), status);
        assertUnusable(model, 1);
    }

    /**
     * Sends a PUT with a declared Content-Length and {@code body} (possibly shorter) over a raw
     * socket; when {@code readStatus}, returns the response's status line, else closes the
     * connection right away.
     */
    private String rawPut(String path, long contentLength, byte[] body, boolean readStatus)
            throws Exception {
        try (Socket s = new Socket("localhost", port)) {
            OutputStream out = s.getOutputStream();
            String head =
                    "PUT "
                            + path
                            + " HTTP/1.1\r\n"
                            + "Host: localhost:"
                            + port
                            + "\r\n"
                            + "Authorization: Bearer "
                            + DevTokens.mint("tester", Roles.REGISTER)
                            + "\r\n"
                            + "Content-Type: application/octet-stream\r\n"
                            + "Content-Length: "
                            + contentLength
                            + "\r\n\r\n";
            out.write(head.getBytes(StandardCharsets.US_ASCII));
            out.write(body);
            out.flush();
            if (!readStatus) {
                return null;
            }
            s.setSoTimeout(30_000);
            return new java.io.BufferedReader(
                            new java.io.InputStreamReader(
                                    s.getInputStream(), StandardCharsets.US_ASCII))
                    .readLine();
        }
    }

    private void assertUnusable(String model, int version) {
        Api.as(Roles.READ)
                .get("/api/v1/models/" + model + "/versions/" + version)
                .then()
                .statusCode(200)
                .body("status", equalTo("PENDING_ARTIFACT"));
        Api.as(Roles.READ)
                .get("/api/v1/models/" + model + "/versions/" + version + "/artifact")
                .then()
                .statusCode(409)
                .body("code", equalTo("ARTIFACT_NOT_READY"));
        assertEquals(0, chunks(model, version), "no chunk of a failed upload may survive");
    }

    private double failedUploads() {
        return meters.find("registry.artifact.uploads").counters().stream()
                .filter(c -> !"stored".equals(c.getId().getTag("outcome")))
                .mapToDouble(c -> c.count())
                .sum();
    }

    private long chunks(String model, int version) {
        try (Connection c = dataSource.getConnection();
                PreparedStatement ps =
                        c.prepareStatement(
                                "select count(*) from artifact_chunk k join model_version v"
                                        + " on v.id = k.version_id join encoder_model m on m.id = v.model_id"
                                        + " where m.name = ? and v.number = ?")) {
            ps.setString(1, model);
            ps.setInt(2, version);
            try (ResultSet rs = ps.executeQuery()) {
                rs.next();
                return rs.getLong(1);
            }
        } catch (java.sql.SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** The chunk size the store uses, restated so a change of it is noticed here. */
    static final class ArtifactChunk {
        static final int SIZE = 1 << 20;

        static {
            assertEquals(SIZE, eagle.registry.service.ArtifactStore.CHUNK_BYTES);
        }
    }
}
