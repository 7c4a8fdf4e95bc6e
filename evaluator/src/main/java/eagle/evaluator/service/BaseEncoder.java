package eagle.evaluator.service;

import eagle.core.model.ClipConfig;
import eagle.core.text.Tokenizer;
import java.nio.file.Path;

/** The original base encoder the gate compares against (docs/METHOD.md §7): its weights file, config and tokenizer. */
public record BaseEncoder(Path file, String sha256, ClipConfig config, Tokenizer tokenizer) {
}
