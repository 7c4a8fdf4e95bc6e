package eagle.platform;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.client.cli.RegisterCli;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** {@code ./eagle register} as a user runs it, in-process, against the platform's registry. */
final class RegisterCommand {

    /** What the command said it registered. */
    record Registered(int version, String sha256, String printed) {}

    private RegisterCommand() {}

    /**
     * Registers {@code path} ({@code --from format}) as {@code model} with an MIT licence; fails
     * the test unless the command exits 0 and prints the registered version and its digest.
     */
    static Registered run(Platform platform, String model, String format, Path path) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int status =
                RegisterCli.run(
                        new String[] {
                            "--name",
                            model,
                            "--from",
                            format,
                            path.toString(),
                            "--registry",
                            platform.service("registry").url(),
                            "--token",
                            platform.registerToken,
                            "--licence",
                            "MIT"
                        },
                        new PrintStream(out),
                        new PrintStream(err),
                        Map.of());
        String printed = out.toString(StandardCharsets.UTF_8);
        assertEquals(0, status, printed + err.toString(StandardCharsets.UTF_8));
        Matcher m =
                Pattern.compile(
                                "registered "
                                        + Pattern.quote(model)
                                        + " version (\\d+): READY, sha256 ([0-9a-f]{64})")
                        .matcher(printed);
        assertTrue(m.find(), printed);
        return new Registered(Integer.parseInt(m.group(1)), m.group(2), printed);
    }
}
