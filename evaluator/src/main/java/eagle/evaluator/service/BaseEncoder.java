package eagle.evaluator.service;

import eagle.core.model.EncoderSpec;
import java.nio.file.Path;

/**
 * The original base encoder the gate compares against (docs/METHOD.md §7): its weights file, their
 * sha256 and the {@link EncoderSpec} they carry (config, tokenizer, prompt templates).
 */
public record BaseEncoder(Path file, String sha256, EncoderSpec spec) {}
