package eagle.client.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import eagle.core.model.ClipConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RegisterOptionsTest {

    @Test
    void theRegistryAndTokenComeFromTheOptionsThenTheEnvironment() {
        RegisterOptions bare = RegisterOptions.parse(List.of("--name", "n", "--from", "hf", "w"));
        assertEquals(RegisterCli.DEFAULT_REGISTRY, bare.registry(Map.of()));
        assertNull(bare.token(Map.of()));
        Map<String, String> env =
                Map.of("EAGLE_REGISTRY_URL", "http://env:1", "EAGLE_REGISTRY_TOKEN", "env-token");
        assertEquals("http://env:1", bare.registry(env));
        assertEquals("env-token", bare.token(env));

        RegisterOptions given =
                RegisterOptions.parse(
                        List.of(
                                "--registry",
                                "http://given:2",
                                "--token",
                                "t",
                                "--name",
                                "n",
                                "--from",
                                "hf",
                                "w"));
        assertEquals("http://given:2", given.registry(env));
        assertEquals("t", given.token(env));
    }

    @Test
    void theModelCardNamesTheSourceFormatAndLicence() {
        RegisterOptions bare =
                RegisterOptions.parse(
                        List.of("--name", "clip", "--from", "openclip", "some/../dir/weights"));
        assertEquals(Path.of("dir/weights").toAbsolutePath(), bare.absolutePath());
        assertEquals(new ModelCard("clip", "weights", "openclip", ModelCard.UNKNOWN), bare.card());

        RegisterOptions given =
                RegisterOptions.parse(
                        List.of(
                                "weights.safetensors",
                                "--name",
                                "clip",
                                "--from",
                                "openai",
                                "--source",
                                "https://example.org/w",
                                "--licence",
                                "MIT"));
        assertEquals(EncoderImport.Format.OPENAI, given.format());
        assertNull(given.evaConfig());
        assertEquals(new ModelCard("clip", "https://example.org/w", "openai", "MIT"), given.card());
    }

    @Test
    void aWrongCommandLineSaysWhy() {
        assertRefused("unknown option '--nme'", "--nme", "n", "--from", "hf", "w");
        assertRefused("--name needs a value", "--name", "--from", "hf", "w");
        assertRefused("--name needs a value", "--from", "hf", "w", "--name");
        assertRefused("--name is given twice", "--name", "a", "--name", "b", "--from", "hf", "w");
        assertRefused("one PATH only, got 'v' and 'w'", "--name", "n", "--from", "hf", "v", "w");
        assertRefused("--name is required", "--from", "hf", "w");
        assertRefused("--from openai|hf|eva|openclip is required", "--name", "n", "w");
        assertRefused("PATH (the weights) is required", "--name", "n", "--from", "hf");
        assertRefused(
                "--from must be openai, hf, eva or openclip, was 'x'",
                "--name",
                "n",
                "--from",
                "x",
                "w");
        assertRefused(
                "--config applies to --from eva only",
                "--name",
                "n",
                "--from",
                "hf",
                "--config",
                "EVA01-tiny",
                "w");
    }

    @Test
    void configNamesAnEvaPreset() {
        RegisterOptions eva =
                RegisterOptions.parse(
                        List.of("--name", "n", "--from", "eva", "--config", "EVA01-tiny", "w"));
        assertEquals(ClipConfig.preset("EVA01-tiny"), eva.evaConfig());
    }

    private static void assertRefused(String reason, String... args) {
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class, () -> RegisterOptions.parse(List.of(args)));
        assertTrue(e.getMessage().contains(reason), e.getMessage());
    }
}
