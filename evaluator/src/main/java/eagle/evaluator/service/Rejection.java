package eagle.evaluator.service;

/**
 * Why a version could not be evaluated: a code and a human reason. Recorded in the registry as a
 * failing evaluation, except {@link Code#ARCHITECTURE_CHANGED}, a refusal that records nothing;
 * never an exception that reaches the listener.
 */
public record Rejection(Code code, String reason) {

    /** Reason codes. */
    public enum Code {
        /** the downloaded bytes do not hash to the registered sha256 */
        DIGEST_MISMATCH,
        /** the artifact's format is not safetensors */
        UNSUPPORTED_FORMAT,
        /** the artifact is not a readable safetensors file */
        UNREADABLE_ARTIFACT,
        /** no readable encoder spec, or tensors that do not fit the config the artifact declares */
        WRONG_ARCHITECTURE,
        /**
         * the spec's tokenizer cannot be built here (e.g. a BPE vocabulary other than the bundled
         * one)
         */
        UNKNOWN_TOKENIZER,
        /** the artifact could not be fetched from the registry */
        DOWNLOAD_FAILED,
        /** the suite failed on this encoder */
        SUITE_FAILED,
        /**
         * the candidate's encoder spec differs from production's (architecture or tokenizer):
         * refused, nothing recorded, production unchanged
         */
        ARCHITECTURE_CHANGED
    }
}
