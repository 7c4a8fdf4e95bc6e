package eagle.console;

import eagle.infra.DevJwt;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Random;

/**
 * What the console's tests look at, written through the registry's API as its writers do (dev
 * tokens per role): model {@value #MODEL} with v1 and v2 blessed (v1 moved to production by an
 * operator, then v2 promoted by the evaluator) and v3 refused by the gate on {@code zeroshot_cls}
 * (observed 0.41 against a lower bound of 0.5).
 */
final class RegistrySeed {

    static final String MODEL = "clip-console";
    static final String READ = DevJwt.mint("console", "registry.read");
    static final String ALIAS = DevJwt.mint("operator", "registry.alias");

    /** the evaluator's subject: its moves are promotions on the timeline */
    private static final String PROMOTE = DevJwt.mint("evaluator", "registry.alias");

    private static final String REGISTER = DevJwt.mint("trainer", "registry.register");
    private static final String EVALUATE = DevJwt.mint("evaluator", "registry.evaluate");

    private final String api;
    private final HttpClient http = HttpClient.newHttpClient();

    RegistrySeed(String api) {
        this.api = api;
    }

    void seed() {
        call(
                "POST",
                "/models",
                REGISTER,
                "{\"name\":\"" + MODEL + "\",\"description\":\"console test\"}",
                201);
        register(1, null);
        register(2, 1);
        register(3, 2);
        evaluate(1, 0.61, true);
        evaluate(2, 0.66, true);
        evaluate(3, 0.41, false);
        move(1, ALIAS, "first release");
        move(2, PROMOTE, "v2 blessed");
    }

    private void register(int expected, Integer parent) {
        byte[] bytes = new byte[256 + expected];
        new Random(expected).nextBytes(bytes);
        String sha = sha256(bytes);
        String manifest =
                "[{\"topic\":\"eagle.annotations.v1\",\"partition\":0,\"fromOffset\":"
                        + (expected - 1) * 100
                        + ",\"untilOffset\":"
                        + expected * 100
                        + "}]";
        String body =
                "{\"parentVersion\":"
                        + parent
                        + ",\"sha256\":\""
                        + sha
                        + "\",\"sizeBytes\":"
                        + bytes.length
                        + ",\"format\":\"safetensors\",\"architecture\":{\"preset\":\"tiny\"},\"trainingRun\":{\"runId\":\"round-"
                        + expected
                        + "\",\"parameters\":{},\"dataManifest\":"
                        + manifest
                        + "}}";
        call("POST", "/models/" + MODEL + "/versions", REGISTER, body, 201);
        HttpRequest put =
                HttpRequest.newBuilder(
                                URI.create(
                                        api
                                                + "/models/"
                                                + MODEL
                                                + "/versions/"
                                                + expected
                                                + "/artifact"))
                        .header("Authorization", "Bearer " + REGISTER)
                        .header("Content-Type", "application/octet-stream")
                        .PUT(HttpRequest.BodyPublishers.ofByteArray(bytes))
                        .build();
        expect(send(put), 200, "upload v" + expected);
    }

    /**
     * An evaluation shaped as the evaluator records it: metrics, thresholds per metric@slice with
     * checks, slices.
     */
    private void evaluate(int version, double cls, boolean passed) {
        double observed = cls;
        String check =
                "{\"kind\":\"VALUE_LOWER\",\"threshold\":0.5,\"candidate\":"
                        + cls
                        + ",\"observed\":"
                        + observed
                        + ",\"passed\":"
                        + passed
                        + ",\"reason\":\""
                        + (passed
                                ? "above the bound"
                                : "zeroshot_cls " + cls + " is below the lower bound 0.5")
                        + "\"}";
        String body =
                "{\"suiteId\":\"console-suite-v1\",\"baselineVersion\":"
                        + (version > 1 ? version - 1 : null)
                        + ",\"metrics\":{\"zeroshot_cls\":"
                        + cls
                        + ",\"pope.random.fpr\":"
                        + (0.2 - version * 0.01)
                        + ",\"ci.zeroshot_cls.lower\":"
                        + (cls - 0.04)
                        + ",\"ci.zeroshot_cls.upper\":"
                        + (cls + 0.04)
                        + "},"
                        + "\"thresholds\":{\"_gate\":{\"purpose\":\"candidate\",\"notes\":["
                        + (version == 1 ? "\"no baseline\"" : "")
                        + "]},\"zeroshot_cls@zeroshot\":{\"metric\":\"zeroshot_cls\",\"slice\":\"zeroshot\","
                        + "\"direction\":\"HIGHER\",\"lower\":0.5,\"upper\":null,\"checks\":["
                        + check
                        + "]}},"
                        + "\"slices\":[{\"slice\":\"zeroshot\",\"passed\":"
                        + passed
                        + (passed ? "" : ",\"reason\":\"zeroshot_cls below 0.5\"")
                        + "}],\"passed\":"
                        + passed
                        + ",\"reportUrl\":\"/reports/console-v"
                        + version
                        + ".html\"}";
        call(
                "POST",
                "/models/" + MODEL + "/versions/" + version + "/evaluations",
                EVALUATE,
                body,
                201);
    }

    /** Production moved by the evaluator's subject, as the pipeline promotes. */
    void promote(int version, String reason) {
        move(version, PROMOTE, reason);
    }

    private void move(int version, String token, String reason) {
        call(
                "PUT",
                "/models/" + MODEL + "/aliases/production",
                token,
                "{\"version\":" + version + ",\"reason\":\"" + reason + "\"}",
                200);
    }

    private String call(String method, String path, String token, String json, int expected) {
        HttpRequest r =
                HttpRequest.newBuilder(URI.create(api + path))
                        .header("Authorization", "Bearer " + token)
                        .header("Content-Type", "application/json")
                        .method(method, HttpRequest.BodyPublishers.ofString(json))
                        .build();
        return expect(send(r), expected, method + " " + path);
    }

    private HttpResponse<String> send(HttpRequest r) {
        try {
            return http.send(r, HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new IllegalStateException("registry call failed: " + r.uri(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private static String expect(HttpResponse<String> r, int status, String what) {
        if (r.statusCode() != status) {
            throw new IllegalStateException(
                    what
                            + " answered "
                            + r.statusCode()
                            + " (expected "
                            + status
                            + "): "
                            + r.body());
        }
        return r.body();
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
