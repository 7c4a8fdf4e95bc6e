package eagle.evaluator.service;

/**
 * Why a candidate could not be evaluated: a code and a human reason. Recorded in the registry as a failing
 * evaluation; never an exception that reaches the listener.
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
        /** tensors or config do not match the base encoder's architecture */
        WRONG_ARCHITECTURE,
        /** the artifact could not be fetched from the registry */
        DOWNLOAD_FAILED,
        /** the suite failed on this encoder */
        SUITE_FAILED
    }
}
