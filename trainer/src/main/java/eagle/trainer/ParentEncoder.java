package eagle.trainer;

import eagle.core.model.ClipConfig;
import eagle.core.model.EncoderSpec;
import eagle.core.text.PromptTemplates;
import eagle.core.text.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/**
 * What a round needs to know about the encoder it starts from, read from the parent's own weights
 * ({@link EncoderSpec#read}: config, tokenizer, prompt templates), and the class prompts the
 * trainer uses: {@code eagle.trainer.prompt.templates} when set, else the encoder's own templates,
 * else {@link PromptTemplates#DEFAULT} (docs/METHOD.md §3).
 *
 * @param spec the parent's spec; a candidate carries the same ({@link EncoderSpec#metadata()})
 * @param tokenizer the spec's tokenizer
 * @param prompts the K class-prompt templates
 */
public record ParentEncoder(EncoderSpec spec, Tokenizer tokenizer, PromptTemplates prompts) {

    public static ParentEncoder read(Path weights, TrainerSettings settings) throws IOException {
        EncoderSpec spec = EncoderSpec.read(weights);
        PromptTemplates prompts =
                settings.prompt()
                        .templates()
                        .filter(t -> !t.isEmpty())
                        .map(PromptTemplates::new)
                        .orElse(spec.prompts());
        return new ParentEncoder(spec, spec.createTokenizer(), prompts);
    }

    public ClipConfig config() {
        return spec.config();
    }

    /** Whether every prompt of the class encodes without an unknown word and without being cut. */
    public boolean canPrompt(String className) {
        return prompts.prompts(className).stream().allMatch(tokenizer::canPrompt);
    }

    /**
     * A sample decoder for this encoder's input geometry, its tokenizer and {@code
     * round.min-patch-area}.
     */
    public SampleDecoder decoder(TrainerSettings settings) {
        return new SampleDecoder(
                new BlobReader(settings.blobRoot()),
                config().vision().imageSize(),
                config().vision().patchSize(),
                this::canPrompt,
                settings.round().minPatchArea());
    }

    /** (C·K, L) prompt tokens, class-major: class c's K prompts at rows c·K … c·K + K − 1. */
    public int[][] promptTokens(List<String> classNames) {
        return tokenizer.encodeBatch(prompts.prompts(classNames));
    }
}
