package eagle.core.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ai.djl.Device;
import eagle.core.io.Safetensors;
import eagle.core.text.PromptTemplates;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EncoderSpecTest {

    private static final List<String> WORDS =
            List.of("this", "is", "an", "image", "of", "a", "red", "triangle");

    @TempDir Path dir;

    private static EncoderSpec tiny() {
        return EncoderSpec.of(
                ClipConfig.tiny(WORDS.size() + 4),
                TokenizerSpec.words(WORDS, 16),
                List.of("This is an image of a {c}"));
    }

    @Test
    void jsonRoundTripOfAPresetAndAnExplicitConfig() {
        EncoderSpec b16 = EncoderSpec.preset("ViT-B-16");
        assertEquals(b16, EncoderSpec.fromJson(b16.toJson()));
        assertTrue(
                b16.toJson()
                        .startsWith(
                                "{\"family\":\"openai-clip\",\"preset\":\"ViT-B-16\",\"config\":{"),
                b16.toJson());
        EncoderSpec tiny = tiny();
        assertEquals(tiny, EncoderSpec.fromJson(tiny.toJson()));
        assertTrue(tiny.toJson().contains("\"preset\":null"), tiny.toJson());
    }

    @Test
    void jsonWithoutTemplatesHasNone() {
        String json =
                "{\"family\":\"openai-clip\",\"preset\":null,\"config\":"
                        + ClipConfig.preset("ViT-B-16").toJson()
                        + ",\"tokenizer\":"
                        + TokenizerSpec.clipBpe(77).toJson()
                        + "}";
        EncoderSpec spec = EncoderSpec.fromJson(json);
        assertEquals(List.of(), spec.promptTemplates());
        assertEquals(PromptTemplates.DEFAULT, spec.prompts());
    }

    @Test
    void aBareClipConfigIsReadLikeAFileWithoutTokenizer() {
        assertEquals(
                EncoderSpec.of(ClipConfig.preset("ViT-B-16"), TokenizerSpec.clipBpe(77), List.of()),
                EncoderSpec.fromJson(ClipConfig.preset("ViT-B-16").toJson()));
        IllegalArgumentException e =
                assertThrows(
                        IllegalArgumentException.class,
                        () -> EncoderSpec.fromJson(ClipConfig.tiny(12).toJson()));
        assertTrue(e.getMessage().contains(MetadataKeys.TOKENIZER), e.getMessage());
    }

    @Test
    void metadataRoundTrip() {
        for (EncoderSpec spec : List.of(EncoderSpec.preset("ViT-L-14-336"), tiny())) {
            Map<String, String> metadata = spec.metadata();
            assertEquals(spec.config().toJson(), metadata.get(MetadataKeys.CLIP_CONFIG));
            assertEquals(spec.tokenizer().toJson(), metadata.get(MetadataKeys.TOKENIZER));
            assertEquals(spec, EncoderSpec.fromMetadata(metadata));
        }
        assertEquals(new PromptTemplates(List.of("This is an image of a {c}")), tiny().prompts());
    }

    @Test
    void metadataWithoutTokenizerIsClipBpeOnlyForClipsVocabulary() {
        Map<String, String> clip =
                Map.of(MetadataKeys.CLIP_CONFIG, ClipConfig.preset("ViT-B-16").toJson());
        EncoderSpec spec = EncoderSpec.fromMetadata(clip);
        assertEquals(TokenizerSpec.clipBpe(77), spec.tokenizer());
        assertEquals(EncoderSpec.OPENAI_CLIP, spec.family());
        assertEquals(List.of(), spec.promptTemplates());

        Map<String, String> words = Map.of(MetadataKeys.CLIP_CONFIG, ClipConfig.tiny(12).toJson());
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> EncoderSpec.fromMetadata(words));
        assertTrue(e.getMessage().contains("carries no " + MetadataKeys.TOKENIZER), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> EncoderSpec.fromMetadata(Map.of()));
    }

    @Test
    void readTakesTheSpecFromASavedModelsHeader() throws IOException {
        EncoderSpec spec = tiny();
        Path file = dir.resolve("model.safetensors");
        try (ClipModel model = ClipModel.create(spec.config(), Device.cpu(), 3)) {
            Map<String, String> metadata = new HashMap<>(spec.metadata());
            metadata.put("eagle.trained_steps", "12");
            model.save(file, metadata);
        }
        assertEquals(spec, EncoderSpec.read(file));
        assertEquals("12", Safetensors.readHeader(file).metadata().get("eagle.trained_steps"));
    }

    @Test
    void readRefusesTensorsThatDoNotFitTheConfig() throws IOException {
        Path file = dir.resolve("model.safetensors");
        try (ClipModel model = ClipModel.create(ClipConfig.tiny(12), Device.cpu(), 3)) {
            Map<String, String> metadata = new LinkedHashMap<>(tiny().metadata());
            metadata.put(MetadataKeys.CLIP_CONFIG, ClipConfig.tiny(13).toJson());
            Safetensors.write(file, model.parameters(), metadata);
        }
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> EncoderSpec.read(file));
        assertTrue(e.getMessage().contains("token_embedding.weight"), e.getMessage());
    }

    @Test
    void differenceNamesWhatDiffers() {
        EncoderSpec b16 = EncoderSpec.preset("ViT-B-16");
        assertEquals(Optional.empty(), b16.differenceFrom(EncoderSpec.preset("ViT-B-16")));
        // the preset name and the templates do not count
        EncoderSpec explicit =
                EncoderSpec.of(b16.config(), b16.tokenizer(), List.of("a {} on a table"));
        assertEquals(Optional.empty(), b16.differenceFrom(explicit));

        String l14 = b16.differenceFrom(EncoderSpec.preset("ViT-L-14")).orElseThrow();
        assertTrue(l14.contains("vision width 768 != 1024"), l14);
        assertTrue(l14.contains("vision patchSize 16 != 14"), l14);
        assertTrue(l14.contains("text width 512 != 768"), l14);
        assertTrue(l14.contains("embedDim 512 != 768"), l14);
        String reverse = EncoderSpec.preset("ViT-L-14").differenceFrom(b16).orElseThrow();
        assertTrue(reverse.contains("vision width 1024 != 768"), reverse);

        EncoderSpec wordsB16 =
                EncoderSpec.of(b16.config(), TokenizerSpec.words(WORDS, 77), List.of());
        String tokenizer = b16.differenceFrom(wordsB16).orElseThrow();
        assertEquals("tokenizer clip-bpe(924691ac…, L 77) != words(8, L 77)", tokenizer);

        List<String> otherWords =
                List.of("this", "is", "an", "image", "of", "a", "blue", "triangle");
        EncoderSpec other =
                EncoderSpec.of(tiny().config(), TokenizerSpec.words(otherWords, 16), List.of());
        String vocabulary = tiny().differenceFrom(other).orElseThrow();
        assertTrue(vocabulary.contains("red") && vocabulary.contains("blue"), vocabulary);
    }

    @Test
    void aClipVocabularyConfigGetsTheBundledBpeAndItsPresetName() {
        EncoderSpec l14 = EncoderSpec.clipBpe(ClipConfig.preset("ViT-L-14"));
        assertEquals(EncoderSpec.preset("ViT-L-14"), l14);
        ClipConfig b16 = ClipConfig.preset("ViT-B-16");
        ClipConfig wider = new ClipConfig(b16.vision(), b16.text(), 640);
        EncoderSpec explicit = EncoderSpec.clipBpe(wider);
        assertEquals(null, explicit.preset());
        assertEquals(TokenizerSpec.clipBpe(77), explicit.tokenizer());
        assertThrows(IllegalArgumentException.class, () -> EncoderSpec.clipBpe(ClipConfig.tiny()));
    }

    @Test
    void anImportedClipFileCarriesItsSpec() throws IOException {
        ClipConfig tiny = ClipConfig.tiny();
        ClipConfig config =
                new ClipConfig(
                        tiny.vision(),
                        new ClipConfig.TextConfig(
                                77, 49408, 64, 1, 1, 4.0, ClipConfig.Activation.QUICK_GELU, 1e-5),
                        64);
        Map<String, Safetensors.Tensor> tensors = new LinkedHashMap<>();
        config.parameterShapes()
                .forEach(
                        (name, shape) ->
                                tensors.put(
                                        name,
                                        Safetensors.Tensor.f32(
                                                shape,
                                                new float[(int) Safetensors.elementCount(shape)])));
        Path file = dir.resolve("imported.safetensors");
        eagle.core.hf.OpenAiClipFile.write(file, config, tensors);
        assertEquals(EncoderSpec.clipBpe(config), EncoderSpec.read(file));
        assertEquals(
                EncoderSpec.OPENAI_CLIP,
                Safetensors.readHeader(file).metadata().get(MetadataKeys.FAMILY));
    }

    @Test
    void invalidSpecsAreRejected() {
        ClipConfig tinyConfig = ClipConfig.tiny(12);
        // the words need 12 ids; a text tower of 11 cannot embed them
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        EncoderSpec.of(
                                ClipConfig.tiny(11), TokenizerSpec.words(WORDS, 16), List.of()));
        // rows longer than the text tower's positions
        assertThrows(
                IllegalArgumentException.class,
                () -> EncoderSpec.of(tinyConfig, TokenizerSpec.words(WORDS, 17), List.of()));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        EncoderSpec.of(
                                tinyConfig,
                                TokenizerSpec.words(WORDS, 16),
                                List.of("no placeholder")));
        assertThrows(
                IllegalArgumentException.class,
                () ->
                        new EncoderSpec(
                                "siglip",
                                null,
                                tinyConfig,
                                TokenizerSpec.words(WORDS, 16),
                                List.of()));
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> EncoderSpec.preset("tiny"));
        assertTrue(e.getMessage().contains("tokenizer"), e.getMessage());
        assertThrows(
                IllegalArgumentException.class,
                () -> EncoderSpec.fromJson("{\"family\":\"openai-clip\"}"));
    }
}
