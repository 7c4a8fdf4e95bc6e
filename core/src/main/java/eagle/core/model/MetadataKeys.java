package eagle.core.model;

/**
 * Keys of the safetensors metadata entries an EAGLE encoder file carries (see {@link
 * EncoderSpec#metadata()}). Every reader and writer of these entries uses these constants; no other
 * spelling of the keys exists.
 */
public final class MetadataKeys {

    /** {@link ClipConfig#toJson()}: the architecture the tensors were built for. */
    public static final String CLIP_CONFIG = "eagle.clip_config";

    /** {@link TokenizerSpec#toJson()}: the tokenizer the text tower was trained with. */
    public static final String TOKENIZER = "eagle.tokenizer";

    /**
     * The preset name the config came from ({@link ClipConfig#PRESETS}); absent for an explicit
     * config.
     */
    public static final String PRESET = "eagle.preset";

    /** The model family, {@link EncoderSpec#OPENAI_CLIP} or {@link EncoderSpec#EVA01_CLIP}. */
    public static final String FAMILY = "eagle.family";

    /** JSON array of the class-prompt templates the encoder was pretrained with. */
    public static final String PROMPTS = "eagle.prompt_templates";

    private MetadataKeys() {}
}
