package eagle.evaluator.service;

import ai.djl.Device;
import eagle.core.io.Safetensors;
import eagle.core.model.ClipModel;
import eagle.core.model.EncoderSpec;
import eagle.core.text.Tokenizer;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Reads what a version's artifact says it is and loads it (docs/METHOD.md §1): {@link #inspect}
 * checks the format, that the bytes are a safetensors file, and reads its {@link EncoderSpec} from
 * the header (config, tokenizer, prompt templates; tensor names and shapes checked against the
 * config); {@link #load} then builds the model and the tokenizer of that spec. Each failure is a
 * {@link Rejection}. The digest is verified by the download ({@code
 * eagle.client.RegistryClient#download}).
 */
public final class EncoderLoader {

    /** The spec an artifact carries, or why it has none. */
    public record Inspected(EncoderSpec spec, Rejection rejection) {}

    /** A loaded model (the caller closes it) and its tokenizer, or a rejection. */
    public record Loaded(ClipModel model, Tokenizer tokenizer, Rejection rejection) {
        public boolean loaded() {
            return model != null;
        }
    }

    private EncoderLoader() {}

    public static Inspected inspect(Path file, String format) {
        if (format != null && !"safetensors".equalsIgnoreCase(format)) {
            return new Inspected(
                    null,
                    new Rejection(
                            Rejection.Code.UNSUPPORTED_FORMAT,
                            "format '" + format + "' is not safetensors"));
        }
        try {
            Safetensors.readHeader(file);
        } catch (IOException | RuntimeException e) {
            return new Inspected(
                    null,
                    new Rejection(
                            Rejection.Code.UNREADABLE_ARTIFACT,
                            "not a safetensors file: " + e.getMessage()));
        }
        try {
            return new Inspected(EncoderSpec.read(file), null);
        } catch (IOException e) {
            return new Inspected(
                    null,
                    new Rejection(
                            Rejection.Code.UNREADABLE_ARTIFACT, String.valueOf(e.getMessage())));
        } catch (RuntimeException e) {
            // no or a malformed config, tensors that do not fit it, a tokenizer that cannot be told
            return new Inspected(
                    null,
                    new Rejection(
                            Rejection.Code.WRONG_ARCHITECTURE, String.valueOf(e.getMessage())));
        }
    }

    /** Builds the tokenizer and the model of {@code spec} from {@code file}. */
    public static Loaded load(Path file, EncoderSpec spec, Device device) {
        Tokenizer tokenizer;
        try {
            tokenizer = spec.createTokenizer();
        } catch (RuntimeException e) {
            return new Loaded(
                    null,
                    null,
                    new Rejection(
                            Rejection.Code.UNKNOWN_TOKENIZER, String.valueOf(e.getMessage())));
        }
        try {
            return new Loaded(ClipModel.load(file, spec.config(), device), tokenizer, null);
        } catch (IllegalArgumentException e) {
            return new Loaded(
                    null, null, new Rejection(Rejection.Code.WRONG_ARCHITECTURE, e.getMessage()));
        } catch (IOException | RuntimeException e) {
            return new Loaded(
                    null,
                    null,
                    new Rejection(
                            Rejection.Code.UNREADABLE_ARTIFACT, String.valueOf(e.getMessage())));
        }
    }
}
