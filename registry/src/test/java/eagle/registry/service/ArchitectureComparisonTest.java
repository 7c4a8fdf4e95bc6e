package eagle.registry.service;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.math.BigDecimal;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** The first difference of two architectures' family, config and tokenizer, as a JSON path. */
class ArchitectureComparisonTest {

    private static Map<String, Object> spec(Object family, Object config, Object tokenizer) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("family", family);
        m.put("preset", "ViT-B-16");
        m.put("config", config);
        m.put("tokenizer", tokenizer);
        m.put("promptTemplates", List.of("a photo of a {}."));
        return m;
    }

    private static Map<String, Object> config(Object width, Object eps) {
        return Map.of(
                "embedDim",
                512,
                "vision",
                Map.of("width", width, "layers", 12, "layerNormEps", eps));
    }

    private static final Map<String, Object> BPE =
            Map.of("kind", "clip-bpe", "vocabSha256", "ab", "contextLength", 77);

    @Test
    void equalSpecsAgreeWhateverTheirPresetTemplatesKeyOrderAndNumberForm() {
        Map<String, Object> parent = spec("openai-clip", config(768, 1e-5), BPE);
        Map<String, Object> child =
                spec(
                        "openai-clip",
                        config(768L, new BigDecimal("0.000010")),
                        Map.of("contextLength", 77.0, "vocabSha256", "ab", "kind", "clip-bpe"));
        child.put("preset", null);
        child.put("promptTemplates", List.of());
        assertEquals(Optional.empty(), ArchitectureComparison.firstDifference(child, parent));
    }

    @Test
    void theFirstDifferenceIsNamedByItsPathThisVersionsValueFirst() {
        Map<String, Object> parent = spec("openai-clip", config(1024, 1e-5), BPE);
        assertEquals(
                Optional.of("architecture.config.vision.width: 768 != 1024"),
                ArchitectureComparison.firstDifference(
                        spec("openai-clip", config(768, 1e-5), BPE), parent));
        // family before config before tokenizer
        assertEquals(
                Optional.of("architecture.family: \"siglip\" != \"openai-clip\""),
                ArchitectureComparison.firstDifference(
                        spec("siglip", config(768, 1e-6), Map.of()), parent));
        assertEquals(
                Optional.of("architecture.config.vision.layerNormEps: 1.0E-6 != 1.0E-5"),
                ArchitectureComparison.firstDifference(
                        spec("openai-clip", config(1024, 1e-6), BPE), parent));
        assertEquals(
                Optional.of("architecture.tokenizer.kind: \"words\" != \"clip-bpe\""),
                ArchitectureComparison.firstDifference(
                        spec(
                                "openai-clip",
                                config(1024, 1e-5),
                                Map.of(
                                        "kind",
                                        "words",
                                        "words",
                                        List.of("a"),
                                        "contextLength",
                                        77)),
                        parent));
        assertEquals(
                Optional.of("architecture.tokenizer.contextLength: \"77\" != 77"),
                ArchitectureComparison.firstDifference(
                        spec(
                                "openai-clip",
                                config(1024, 1e-5),
                                Map.of(
                                        "kind",
                                        "clip-bpe",
                                        "vocabSha256",
                                        "ab",
                                        "contextLength",
                                        "77")),
                        parent));
    }

    @Test
    void absentMembersAndArraysAreCompared() {
        Map<String, Object> words =
                Map.of("kind", "words", "words", List.of("a", "cat"), "contextLength", 8);
        Map<String, Object> parent = spec("openai-clip", config(64, 1e-5), words);
        Map<String, Object> noTokenizer = spec("openai-clip", config(64, 1e-5), null);
        noTokenizer.remove("tokenizer");
        assertEquals(
                Optional.of("architecture.tokenizer: absent != {…}"),
                ArchitectureComparison.firstDifference(noTokenizer, parent));
        assertEquals(
                Optional.of("architecture.tokenizer.words[1]: \"dog\" != \"cat\""),
                ArchitectureComparison.firstDifference(
                        spec(
                                "openai-clip",
                                config(64, 1e-5),
                                Map.of(
                                        "kind",
                                        "words",
                                        "words",
                                        List.of("a", "dog"),
                                        "contextLength",
                                        8)),
                        parent));
        assertEquals(
                Optional.of("architecture.tokenizer.words[2]: \"dog\" != absent"),
                ArchitectureComparison.firstDifference(
                        spec(
                                "openai-clip",
                                config(64, 1e-5),
                                Map.of(
                                        "kind",
                                        "words",
                                        "words",
                                        List.of("a", "cat", "dog"),
                                        "contextLength",
                                        8)),
                        parent));
        Map<String, Object> extra = new LinkedHashMap<>(config(64, 1e-5));
        extra.put("text", Map.of("width", 64));
        assertEquals(
                Optional.of("architecture.config.text: {…} != absent"),
                ArchitectureComparison.firstDifference(spec("openai-clip", extra, words), parent));
        // architectures that are no encoder spec at all (none of the three members) do not differ
        assertEquals(
                Optional.empty(),
                ArchitectureComparison.firstDifference(Map.of("width", 64), Map.of("width", 32)));
    }
}
