package eagle.client.cli;

import eagle.client.AliasTarget;
import eagle.client.RegistryClient;
import java.io.PrintStream;
import java.util.Optional;

/**
 * The lines {@code ./eagle register} prints once a version is registered: whether the evaluator
 * will bless it as the first production or score it against the current one, and the {@code curl}
 * lines to watch the alias and to score the version again on demand.
 */
final class NextSteps {

    /** The evaluator of {@code ./eagle demo}. */
    static final String DEFAULT_EVALUATOR = "http://localhost:8084";

    private NextSteps() {}

    /** What blesses the version: the evaluator, on the registry's ARTIFACT_STORED event. */
    static void print(
            PrintStream out, RegistryClient client, String name, int version, String registry) {
        Optional<AliasTarget> production = client.production(name);
        String aliases =
                registry.replaceAll("/+$", "") + "/api/v1/models/" + name + "/aliases/production";
        if (production.isEmpty()) {
            out.println(
                    "next: the evaluator (listening to the registry's events) scores v"
                            + version
                            + " on its suite now and, as "
                            + name
                            + " has no production yet, blesses it as the first");
            out.println("      production if it passes the gate. Watch for it:");
        } else {
            out.println(
                    "next: "
                            + name
                            + "'s production is v"
                            + production.get().version()
                            + "; v"
                            + version
                            + " is a new root version. The evaluator scores it against production now and promotes it if it");
            out.println(
                    "      passes the gate (a version of another architecture or tokenizer is refused). Watch:");
        }
        out.println("  curl -s -H \"Authorization: Bearer $TOKEN\" " + aliases);
        out.println(
                "  to score it again on demand (role evaluator.operate; the demo's evaluator is "
                        + DEFAULT_EVALUATOR
                        + "):");
        out.println(
                "  curl -s -X POST -H \"Authorization: Bearer $OPERATOR_TOKEN\" "
                        + DEFAULT_EVALUATOR
                        + "/api/v1/models/"
                        + name
                        + "/versions/"
                        + version
                        + "/evaluate");
    }
}
